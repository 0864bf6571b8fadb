using System.Globalization;

namespace MarginGrid.Silo.Api;

/// <summary>
/// Query-string numbers are read here, not by the framework's binding, so that <c>limit=abc</c> or a
/// number out of range gets the same problem document with a stable code as any other bad input.
/// </summary>
public static class QueryNumber
{
    /// <summary>True when <paramref name="text"/> is absent (value null) or a whole number in [min, max].</summary>
    public static bool TryRead(string? text, long min, long max, out long? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (text.Length <= 20 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
