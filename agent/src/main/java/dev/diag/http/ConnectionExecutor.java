package dev.diag.http;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The JDK server's executor: runs each request the dispatcher hands over on diag's workers as a
 * {@link ClientConnection}, so that reading it has deadlines and its handler can see the client go away.
 */
final class ConnectionExecutor implements Executor {
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final JdkChannels channels;

    ConnectionExecutor(Executor workers, ScheduledExecutorService timer, JdkChannels channels) {
        this.workers = workers;
        this.timer = timer;
        this.channels = channels;
    }

    /** Called by the JDK's dispatcher; a rejection makes it close the connection. */
    @Override
    public void execute(Runnable exchangeTask) {
        ClientConnection c = new ClientConnection(channels.channelOf(exchangeTask), timer);
        workers.execute(() -> c.serve(exchangeTask));
    }
}
