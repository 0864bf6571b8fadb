using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MarginGrid.Silo.Auth;

/// <summary>
/// The API keys in force: the configured ones, or, in the embedded default and the demo only, an admin
/// and a reader key generated at start-up and printed. A durable deployment refuses to start without keys.
/// </summary>
public sealed class ApiKeyRegistry
{
    public ApiKeyRegistry(IOptions<AuthOptions> options, bool mayGenerate)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k.Key)).ToList();
        foreach (var entry in configured)
        {
            if (entry.Role is not (GridRoles.Admin or GridRoles.Reader or GridRoles.Account) || (entry.Role == GridRoles.Account && string.IsNullOrWhiteSpace(entry.AccountId)))
            {
                throw new InvalidOperationException($"API key role '{entry.Role}' is not admin, reader or account (with an AccountId).");
            }
        }

        if (configured.Count == 0)
        {
            if (!mayGenerate)
            {
                throw new InvalidOperationException("No API keys are configured (Auth:ApiKeys); a durable deployment does not start without them.");
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

    private static string NewKey(string prefix) => $"{prefix}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()}";
}
