using System.Security.Cryptography;
using System.Text;
using MarginGrid.Silo.Api;
using Microsoft.Extensions.Options;

namespace MarginGrid.Silo.Auth;

/// <summary>
/// With <c>Auth:MetricsToken</c> (or <c>Auth:MetricsTokens:N</c>, several during a rotation) set, <c>/metrics</c>
/// answers only a scraper sending <c>Authorization: Bearer</c> one of those tokens (compared in constant time);
/// without any the endpoint stays open, as Prometheus inside the cluster's network scrapes it.
/// </summary>
public sealed class MetricsTokenMiddleware(RequestDelegate next, IOptions<AuthOptions> options)
{
    public const string Path = "/metrics";

    private readonly byte[][] _tokens = [.. options.Value.AllMetricsTokens().Select(Encoding.UTF8.GetBytes)];

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_tokens.Length == 0 || !context.Request.Path.StartsWithSegments(Path) || Presents(context.Request))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
        return Problems.Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Send the metrics scrape token as Authorization: Bearer <token>.").ExecuteAsync(context);
    }

    private bool Presents(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim());
        var matched = false;
        foreach (var token in _tokens)
        {
            // Every token compared, so the time taken does not tell which one came close.
            matched |= CryptographicOperations.FixedTimeEquals(presented, token);
        }

        return matched;
    }
}
