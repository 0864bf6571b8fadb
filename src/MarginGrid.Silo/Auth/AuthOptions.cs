namespace MarginGrid.Silo.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>
    /// Refuse to start without configured keys. Off for the embedded default and the demo, which generate
    /// and print keys; a production deployment sets it.
    /// </summary>
    public bool RequireKeys { get; set; }
}
