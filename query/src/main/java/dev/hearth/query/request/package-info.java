/**
 * One typed request per query operation, parsed, defaulted and validated once from a transport's
 * {@link dev.hearth.query.request.Params}: REST query strings, gRPC and Connect messages only
 * translate their fields into parameters. Every failure is an {@link
 * dev.hearth.query.InvalidQueryException} naming the parameter as the client wrote it.
 */
@NullMarked
package dev.hearth.query.request;

import org.jspecify.annotations.NullMarked;
