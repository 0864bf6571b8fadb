namespace MarginGrid.Domain.Common;

/// <summary>Input checks that throw a <see cref="DomainException"/> with a clear message.</summary>
public static class Require
{
    public static void Positive(decimal value, string what, string code)
    {
        if (value <= 0m)
        {
            throw new DomainException(code, $"{what} must be greater than zero (was {value}).");
        }
    }

    public static void NotNegative(decimal value, string what, string code)
    {
        if (value < 0m)
        {
            throw new DomainException(code, $"{what} must not be negative (was {value}).");
        }
    }

    public static void MultipleOf(decimal value, decimal step, string what, string code)
    {
        if (value % step != 0m)
        {
            throw new DomainException(code, $"{what} {value} is not a multiple of {step}.");
        }
    }

    public static void AtMostDecimals(decimal value, int decimals, string what, string code)
    {
        if (decimal.Round(value, decimals) != value)
        {
            throw new DomainException(code, $"{what} {value} has more than {decimals} decimal places.");
        }
    }

    /// <summary>A client's id: see <see cref="Identifiers.IsId"/>.</summary>
    public static void Id(string? id, string what)
    {
        if (!Identifiers.IsId(id))
        {
            throw new DomainException(ErrorCodes.InvalidId, $"{what} is 1 to {Identifiers.MaxIdLength} letters, digits, '-', '_', '.' or ':'.");
        }
    }

    /// <summary>An id the grid composed from plain ids: see <see cref="Identifiers.IsCompositeId"/>.</summary>
    public static void CompositeId(string? id, string what)
    {
        if (!Identifiers.IsCompositeId(id))
        {
            throw new DomainException(ErrorCodes.InvalidId, $"{what} is 1 to {Identifiers.MaxCompositeIdLength} characters, none of them white space, control or bidi.");
        }
    }

    public static void That(bool condition, string code, string message)
    {
        if (!condition)
        {
            throw new DomainException(code, message);
        }
    }
}
