using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarginGrid.Client;

/// <summary>
/// Writes money as a decimal string (<c>"30000.5"</c>), as the HTTP API does, so a figure read off the tool
/// never passes through a binary float in whatever parses it next.
/// </summary>
public sealed class DecimalText : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        decimal.Parse(reader.GetString() ?? throw new JsonException("A decimal is a string."), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("0.############################", CultureInfo.InvariantCulture));
    }

    /// <summary>Parses a decimal typed on the command line; null when it is not one.</summary>
    public static decimal? Parse(string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
}
