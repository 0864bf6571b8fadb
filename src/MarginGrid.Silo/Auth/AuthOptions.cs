namespace MarginGrid.Silo.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The shortest key accepted (configured API keys and the metrics token): a guessable key is no key.</summary>
    public const int MinimumKeyLength = 32;

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>
    /// Refuse to start without configured keys. The durable cluster always does; in the embedded default,
    /// without it, an admin and a reader key are generated and printed.
    /// </summary>
    public bool RequireKeys { get; set; }

    /// <summary>When set, <c>/metrics</c> answers only requests with <c>Authorization: Bearer</c> this token (or one of <see cref="MetricsTokens"/>).</summary>
    public string? MetricsToken { get; set; }

    /// <summary>More scrape tokens (<c>Auth:MetricsTokens:N</c>), each accepted: the old and the new one overlap while a token rotates.</summary>
    public List<string> MetricsTokens { get; set; } = [];

    /// <summary>Every scrape token configured, the single one and the list alike; empty leaves <c>/metrics</c> open.</summary>
    public IEnumerable<string> AllMetricsTokens() =>
        MetricsTokens.Prepend(MetricsToken ?? "").Where(t => !string.IsNullOrWhiteSpace(t));
}
