using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Silo.Api;

/// <summary>Counts API requests by route template and errors by problem code (never by account id or raw path).</summary>
public sealed class ApiMetricsMiddleware(RequestDelegate next)
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
                GridMetrics.ApiRequest(route, http.Request.Method, status);
                if (status >= 400)
                {
                    GridMetrics.ApiError(route, http.Items[Problems.CodeItem] as string ?? $"http_{status}");
                }
            }
        }
    }
}
