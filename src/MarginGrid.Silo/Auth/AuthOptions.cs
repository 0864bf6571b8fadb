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

    /// <summary>When set, <c>/metrics</c> answers only requests with <c>Authorization: Bearer</c> this token.</summary>
    public string? MetricsToken { get; set; }
}
