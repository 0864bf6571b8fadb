namespace MarginGrid.Domain.Common;

/// <summary>The shapes of market symbols and asset names, in one place for the domain and the API.</summary>
public static class Identifiers
{
    /// <summary>1 to 32 letters, digits, '-' or '_'.</summary>
    public static bool IsSymbol(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 32 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>1 to 32 letters or digits.</summary>
    public static bool IsAsset(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 32 && value.All(char.IsAsciiLetterOrDigit);
}
