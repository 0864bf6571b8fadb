namespace MarginGrid.Silo.Auth;

/// <summary>One configured key (<c>Auth:ApiKeys:N</c>): its secret, role (<c>admin</c>, <c>reader</c>, <c>account</c>) and, for an account key, whose.</summary>
public sealed class ApiKeyEntry
{
    public string Key { get; set; } = "";
    public string Role { get; set; } = "";
    public string? AccountId { get; set; }
}
