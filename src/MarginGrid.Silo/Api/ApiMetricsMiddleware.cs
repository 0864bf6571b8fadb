namespace MarginGrid.Silo.Api;

/// <summary>Counts API requests by route template and errors by problem code (never by account id or raw path).</summary>
public sealed class ApiMetricsMiddleware(RequestDelegate next, ApiMetrics metrics)
{
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            await next(http);
        }
        finally
        {
            if (http.Request.Path.StartsWithSegments("/v1"))
            {
                var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                var status = http.Response.StatusCode;
                metrics.Request(route, http.Request.Method, status);
                if (status >= 400)
                {
                    metrics.Error(route, http.Items[Problems.CodeItem] as string ?? $"http_{status}");
                }
            }
        }
    }
}
