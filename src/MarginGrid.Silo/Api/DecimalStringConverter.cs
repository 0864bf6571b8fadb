using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarginGrid.Domain.Common;

namespace MarginGrid.Silo.Api;

/// <summary>
/// Money on the wire is a decimal string, both ways. A JSON number is refused: a client that sends
/// numbers has already passed the amount through a binary float. A string with more significant digits
/// than <see cref="GridBounds.MaxSignificantDigits"/> is refused too, before parsing: parsing would round it.
/// </summary>
public sealed class DecimalStringConverter : JsonConverter<decimal>
{
    /// <summary>Longest decimal text read at all: 18 digits, a sign, a point and leading zeros fit well within it.</summary>
    public const int MaxLength = 64;

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Prices, quantities and amounts are decimal strings, e.g. \"30000.5\".");
        }

        if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > MaxLength)
        {
            throw new DecimalRefusedException(ErrorCodes.OutOfBounds, $"A decimal string is at most {MaxLength} characters.");
        }

        var text = reader.GetString()!;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new JsonException($"'{Clip(text)}' is not a decimal number.");
        }

        return GridBounds.SignificantDigits(text.AsSpan()) > GridBounds.MaxSignificantDigits
            ? throw new DecimalRefusedException(ErrorCodes.TooPrecise,
                $"'{Clip(text)}' has more than {GridBounds.MaxSignificantDigits} significant digits; it is refused, not rounded.")
            : value;
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("0.############################", CultureInfo.InvariantCulture));
    }

    /// <summary>What of a refused value is echoed back: a short prefix, never the whole input.</summary>
    public static string Clip(string text) => text.Length <= 40 ? text : $"{text[..40]}…";
}
