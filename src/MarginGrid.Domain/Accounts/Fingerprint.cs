using System.Globalization;

namespace MarginGrid.Domain.Accounts;

/// <summary>A canonical text of a command's content: equal commands give equal text, whatever the decimal scale.</summary>
public static class Fingerprint
{
    public static string Of(params object?[] parts) => string.Join('|', parts.Select(Format));

    private static string Format(object? part) => part switch
    {
        null => "",
        decimal d => d.ToString("0.############################", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => part.ToString() ?? "",
    };
}
