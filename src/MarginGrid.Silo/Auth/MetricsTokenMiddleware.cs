using System.Security.Cryptography;
using System.Text;
using MarginGrid.Silo.Api;
using Microsoft.Extensions.Options;

namespace MarginGrid.Silo.Auth;

/// <summary>
/// With <c>Auth:MetricsToken</c> set, <c>/metrics</c> answers only a scraper sending
/// <c>Authorization: Bearer</c> that token (compared in constant time); without it the endpoint stays open, as
/// Prometheus inside the cluster's network scrapes it.
/// </summary>
public sealed class MetricsTokenMiddleware(RequestDelegate next, IOptions<AuthOptions> options)
{
    public const string Path = "/metrics";

    private readonly byte[]? _token = options.Value.MetricsToken is { Length: > 0 } token ? Encoding.UTF8.GetBytes(token) : null;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_token is null || !context.Request.Path.StartsWithSegments(Path) || Presents(context.Request))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
        return Problems.Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Send the metrics scrape token as Authorization: Bearer <token>.").ExecuteAsync(context);
    }

    private bool Presents(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim()), _token);
    }
}
