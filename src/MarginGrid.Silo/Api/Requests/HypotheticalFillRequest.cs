using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.Silo.Api.Requests;

/// <summary>One fill of a what-if body. <c>fee</c> defaults to 0; <c>marginMode</c> and <c>leverage</c> set a position the fill opens.</summary>
public sealed record HypotheticalFillRequest(string? Symbol, string? Side, decimal? Quantity, decimal? Price, decimal? Fee = null, string? MarginMode = null, int? Leverage = null)
{
    /// <summary>The first missing field, named with its place in the list (<c>fills[2].price</c>).</summary>
    public (string Code, string Detail)? Validate(int index) =>
        Required.Fields(($"fills[{index}].symbol", Symbol), ($"fills[{index}].side", Side), ($"fills[{index}].quantity", Quantity), ($"fills[{index}].price", Price))
        ?? Required.Side(Side) ?? Required.MarginMode(MarginMode);

    /// <summary>The contract's fill, once <see cref="Validate"/> has passed.</summary>
    public HypotheticalFill ToFill()
    {
        if (!ContractWords.TryParse(Side, out OrderSide side))
        {
            throw new InvalidOperationException("The fill was not validated.");
        }

        PositionMarginMode? mode = ContractWords.TryParse(MarginMode, out PositionMarginMode parsed) ? parsed : null;
        return new(Symbol!, side, Quantity!.Value, Price!.Value, Fee ?? 0m, mode, Leverage);
    }
}
