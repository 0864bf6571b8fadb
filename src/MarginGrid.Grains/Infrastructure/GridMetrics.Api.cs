using System.Diagnostics.Metrics;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>API instruments, by route template (never by account id) and, for errors, by stable problem code.</summary>
public static partial class GridMetrics
{
    private static readonly Counter<long> ApiRequests = Meter.CreateCounter<long>(
        "margingrid.api.requests", null, "HTTP API requests by route template, method and status code.");

    private static readonly Counter<long> ApiErrors = Meter.CreateCounter<long>(
        "margingrid.api.errors", null, "HTTP API error responses by route template and problem code.");

    public static void ApiRequest(string route, string method, int status) => ApiRequests.Add(1,
        new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("status", status));

    public static void ApiError(string route, string code) => ApiErrors.Add(1,
        new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("code", code));
}
