package dev.hearth.query.request;

import dev.hearth.query.QueryLimits;

/**
 * What parsing needs besides the parameters.
 *
 * @param tenant the authenticated tenant (never a parameter)
 * @param nowNanos the time {@code now} and defaults refer to, Unix nanoseconds
 * @param limits the configured query limits ({@code maxNodes} bounds)
 */
public record ParseContext(String tenant, long nowNanos, QueryLimits limits) {}
