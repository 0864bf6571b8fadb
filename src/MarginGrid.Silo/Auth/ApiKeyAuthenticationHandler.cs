using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using MarginGrid.Silo.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MarginGrid.Silo.Auth;

/// <summary>
/// Authenticates <c>X-Api-Key</c> against the configured keys (compared in constant time) and answers
/// 401 and 403 with problem documents. On the Orleans dashboard only, where a browser cannot set that header,
/// the key may come as the password of HTTP Basic auth; every other route ignores Basic credentials.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey() is not { } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = Encoding.UTF8.GetBytes(key);
        var entry = keys.Entries.FirstOrDefault(e => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(e.Key), presented));
        if (entry is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Role, entry.Role), new(ClaimTypes.Name, $"{entry.Role}-key") };
        if (entry.AccountId is { } account)
        {
            claims.Add(new Claim(GridRoles.AccountClaim, account));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, GridRoles.Scheme));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, GridRoles.Scheme)));
    }

    private string? PresentedKey()
    {
        if (Request.Headers.TryGetValue(GridRoles.Header, out var values))
        {
            return values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
        }

        // Basic is for the dashboard's browser only: a key leaked through a browser's saved password must not open the API.
        if (!Request.Path.StartsWithSegments(GridRoles.DashboardPath))
        {
            return null;
        }

        var authorization = Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 && colon < pair.Length - 1 ? pair[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Path.StartsWithSegments(GridRoles.DashboardPath))
        {
            Response.Headers.WWWAuthenticate = "Basic realm=\"MarginGrid admin\", charset=\"UTF-8\"";
        }

        return Problems.Problem(StatusCodes.Status401Unauthorized, "unauthorized", $"Send a valid API key in the {GridRoles.Header} header.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Problem(StatusCodes.Status403Forbidden, "forbidden", "This API key's role may not do this.").ExecuteAsync(Context);
}
