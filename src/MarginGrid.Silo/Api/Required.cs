using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Common;

namespace MarginGrid.Silo.Api;

/// <summary>Shape checks shared by request bodies: the grains check the rules, these check presence.</summary>
public static class Required
{
    public static (string Code, string Detail)? Fields(params (string Name, object? Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
            {
                return ("missing_field", $"'{name}' is required.");
            }
        }

        return null;
    }

    /// <summary>Ids a client gives in a body (transfer, fill, operation, settlement ids): plain, see <see cref="Identifiers.IsId"/>.</summary>
    public static (string Code, string Detail)? Ids(params (string Name, string? Value)[] ids)
    {
        foreach (var (name, value) in ids)
        {
            if (value is not null && !Identifiers.IsId(value))
            {
                return (ErrorCodes.InvalidId, $"'{name}' is 1 to {Identifiers.MaxIdLength} letters, digits, '-', '_', '.' or ':'.");
            }
        }

        return null;
    }

    /// <summary>A symbol or asset named in a body, checked like one in a path.</summary>
    public static (string Code, string Detail)? Symbol(string? symbol) =>
        symbol is null || Identifiers.IsSymbol(symbol) ? null : ("invalid_symbol", "A symbol is 1 to 32 letters, digits, '-' or '_'.");

    /// <summary>A side named in a request: one of the contract's words, exactly.</summary>
    public static (string Code, string Detail)? Side(string? side) =>
        side is null || ContractWords.TryParse(side, out OrderSide _) ? null : (ErrorCodes.InvalidArgument, ContractWords.BadSide(side));

    /// <summary>A margin mode named in a request: one of the contract's words, exactly.</summary>
    public static (string Code, string Detail)? MarginMode(string? mode) =>
        mode is null || ContractWords.TryParse(mode, out PositionMarginMode _) ? null : (ErrorCodes.InvalidArgument, ContractWords.BadMarginMode(mode));

    public static (string Code, string Detail)? Asset(string? asset) =>
        asset is null || Identifiers.IsAsset(asset) ? null : ("invalid_asset", "An asset is 1 to 32 letters or digits.");
}
