using System.Diagnostics.Metrics;
using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Silo.Api;

/// <summary>
/// The HTTP API's instruments, by route template (never by account id) and, for errors, by stable problem
/// code. They belong to the host, on the grid's meter (<see cref="GridMetrics.MeterName"/>), so the exporter
/// and the dashboards find them where they always were.
/// </summary>
public sealed class ApiMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;

    public ApiMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(GridMetrics.MeterName);
        _requests = meter.CreateCounter<long>("margingrid.api.requests", null, "HTTP API requests by route template, method and status code.");
        _errors = meter.CreateCounter<long>("margingrid.api.errors", null, "HTTP API error responses by route template and problem code.");
    }

    public void Request(string route, string method, int status) => _requests.Add(1,
        new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("status", status));

    public void Error(string route, string code) => _errors.Add(1,
        new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("code", code));
}
