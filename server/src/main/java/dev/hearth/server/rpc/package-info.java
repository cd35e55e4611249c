/**
 * Unary RPC methods served over gRPC and the Connect protocol from one definition: a method is a
 * function from the tenant and a request message to a response, and both transports only decode,
 * call and encode. Errors go through {@link dev.hearth.server.web.ApiError}.
 */
@NullMarked
package dev.hearth.server.rpc;

import org.jspecify.annotations.NullMarked;
