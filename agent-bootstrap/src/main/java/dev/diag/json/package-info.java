/**
 * JSON text as Go writes it ({@link dev.diag.json.JsonString}), shared by the API's variables and the agent's JSON
 * answers. In the bootstrap loader because the API needs it there; names no other diag package.
 */
package dev.diag.json;
