using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarginGrid.Silo.Api;

/// <summary>
/// Money on the wire is a decimal string, both ways. A JSON number is refused: a client that sends
/// numbers has already passed the amount through a binary float.
/// </summary>
public sealed class DecimalStringConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Prices, quantities and amounts are decimal strings, e.g. \"30000.5\".");
        }

        var text = reader.GetString();
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a decimal number.");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("0.############################", CultureInfo.InvariantCulture));
    }
}
