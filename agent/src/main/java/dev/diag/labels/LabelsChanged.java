package dev.diag.labels;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A thread's profile labels changed: committed on that thread, so that JFR gives it the thread and a timestamp on
 * the same clock as its CPU samples, and the event stream delivers both in time order.
 */
@Name(LabelsChanged.NAME)
@Label("diag labels changed")
@Category("diag")
@Description("The profile labels of the event's thread from now on")
@StackTrace(false)
final class LabelsChanged extends jdk.jfr.Event {
    static final String NAME = "dev.diag.LabelsChanged";

    /** The labels, {@link dev.diag.hook.LabelSet#joined() joined}; empty when the thread has none. */
    @Label("Labels")
    String labels;
}
