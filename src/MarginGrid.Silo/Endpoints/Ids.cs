using MarginGrid.Domain.Common;
using MarginGrid.Silo.Api;

namespace MarginGrid.Silo.Endpoints;

/// <summary>Path ids are checked before any grain is addressed, so junk never activates a grain.</summary>
public static class Ids
{
    public static IResult? CheckAccount(string accountId) =>
        Identifiers.IsId(accountId)
            ? null
            : Problems.BadRequest("invalid_account_id", $"An account id is 1 to {Identifiers.MaxIdLength} letters, digits, '-', '_', '.' or ':'.");

    public static IResult? CheckSymbol(string symbol) =>
        Identifiers.IsSymbol(symbol)
            ? null
            : Problems.BadRequest("invalid_symbol", "A symbol is 1 to 32 letters, digits, '-' or '_'.");

    public static IResult? CheckAsset(string asset) =>
        Identifiers.IsAsset(asset)
            ? null
            : Problems.BadRequest("invalid_asset", "An asset is 1 to 32 letters or digits.");
}
