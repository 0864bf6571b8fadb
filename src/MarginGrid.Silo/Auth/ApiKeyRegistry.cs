using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MarginGrid.Silo.Auth;

/// <summary>
/// The API keys in force: the configured ones, or, in the embedded default only, an admin and a reader key
/// generated at start-up and printed. Without configured keys, a durable silo (or one with
/// <c>Auth:RequireKeys</c>) refuses to start; so does any configured key shorter than
/// <see cref="AuthOptions.MinimumKeyLength"/> characters.
/// </summary>
public sealed class ApiKeyRegistry
{
    public ApiKeyRegistry(IOptions<AuthOptions> options, bool mayGenerate)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = new List<ApiKeyEntry>();
        for (var i = 0; i < options.Value.ApiKeys.Count; i++)
        {
            var entry = options.Value.ApiKeys[i];
            if (string.IsNullOrWhiteSpace(entry.Key))
            {
                continue;
            }

            if (entry.Key.Length < AuthOptions.MinimumKeyLength)
            {
                throw new InvalidOperationException(
                    $"{AuthOptions.Section}:ApiKeys:{i}:Key is {entry.Key.Length} characters long; API keys need at least {AuthOptions.MinimumKeyLength} (e.g. openssl rand -hex 24).");
            }

            if (entry.Role is not (GridRoles.Admin or GridRoles.Reader or GridRoles.Account) || (entry.Role == GridRoles.Account && string.IsNullOrWhiteSpace(entry.AccountId)))
            {
                throw new InvalidOperationException($"{AuthOptions.Section}:ApiKeys:{i}:Role '{entry.Role}' is not admin, reader or account (with an AccountId).");
            }

            configured.Add(entry);
        }

        if (options.Value.MetricsToken is { Length: > 0 and < AuthOptions.MinimumKeyLength } token)
        {
            throw new InvalidOperationException($"{AuthOptions.Section}:MetricsToken is {token.Length} characters long; it needs at least {AuthOptions.MinimumKeyLength}.");
        }

        for (var i = 0; i < options.Value.MetricsTokens.Count; i++)
        {
            if (options.Value.MetricsTokens[i] is { Length: > 0 and < AuthOptions.MinimumKeyLength } listed)
            {
                throw new InvalidOperationException($"{AuthOptions.Section}:MetricsTokens:{i} is {listed.Length} characters long; it needs at least {AuthOptions.MinimumKeyLength}.");
            }
        }

        if (configured.Count == 0)
        {
            if (!mayGenerate)
            {
                throw new InvalidOperationException(
                    $"No API keys are configured ({AuthOptions.Section}:ApiKeys:0:Key and :Role, environment Auth__ApiKeys__0__Key); " +
                    $"a durable silo (or one with {AuthOptions.Section}:RequireKeys=true) does not start without them.");
            }

            configured.Add(new ApiKeyEntry { Key = NewKey("admin"), Role = GridRoles.Admin });
            configured.Add(new ApiKeyEntry { Key = NewKey("reader"), Role = GridRoles.Reader });
            Generated = true;
        }

        Entries = configured;
    }

    public IReadOnlyList<ApiKeyEntry> Entries { get; }

    public bool Generated { get; }

    public string? KeyFor(string role) => Entries.FirstOrDefault(e => e.Role == role)?.Key;

    /// <summary>The prefix and 32 random bytes in hex: well past the minimum length.</summary>
    private static string NewKey(string prefix) => $"{prefix}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant()}";
}
