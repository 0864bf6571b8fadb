namespace MarginGrid.Domain.Common;

/// <summary>The shapes of market symbols and asset names, in one place for the domain and the API.</summary>
public static class Identifiers
{
    /// <summary>Longest id a client may give: an account id, or a transfer, fill, operation or settlement id.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Longest id the grid composes from client ids (transaction ids, liquidation operation ids).</summary>
    public const int MaxCompositeIdLength = 512;

    /// <summary>
    /// An id a client gives: 1 to 64 ASCII letters, digits, '-', '_', '.' or ':'. No spaces, control, bidi or
    /// other Unicode characters, so an id cannot forge a log line, hide its text or fail in a jsonb column.
    /// </summary>
    public static bool IsId(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxIdLength && value.All(IsIdChar);

    /// <summary>
    /// An id the grid composes from plain ids (transaction ids, liquidation steps), 1 to 512 characters with
    /// no white space, control or format (bidi) characters; looser than <see cref="IsId"/> so that ledgers
    /// written before ids were plain still load.
    /// </summary>
    public static bool IsCompositeId(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxCompositeIdLength
        && value.All(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format);

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';

    /// <summary>1 to 32 letters, digits, '-' or '_'.</summary>
    public static bool IsSymbol(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 32 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>1 to 32 letters or digits.</summary>
    public static bool IsAsset(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 32 && value.All(char.IsAsciiLetterOrDigit);
}
