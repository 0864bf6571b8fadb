using System.Globalization;
using System.Text.Json;

namespace MarginGrid.Domain.Tests.Support;

/// <summary>Reads the vectors' decimal strings exactly (never through double).</summary>
public static class Json
{
    public static decimal Dec(this JsonElement element, string name) => Dec(element.GetProperty(name));

    public static decimal Dec(this JsonElement element) =>
        element.ValueKind == JsonValueKind.String
            ? decimal.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : element.GetDecimal();

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static bool Has(this JsonElement element, string name) => element.TryGetProperty(name, out _);
}
