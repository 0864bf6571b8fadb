using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.Silo.Api.Requests;

/// <summary>One fill of a what-if body. <c>fee</c> defaults to 0; <c>marginMode</c> and <c>leverage</c> set a position the fill opens.</summary>
public sealed record HypotheticalFillRequest(string? Symbol, string? Side, decimal? Quantity, decimal? Price, decimal? Fee = null, string? MarginMode = null, int? Leverage = null)
{
    /// <summary>The first missing field, named with its place in the list (<c>fills[2].price</c>).</summary>
    public (string Code, string Detail)? Validate(int index) =>
        Required.Fields(($"fills[{index}].symbol", Symbol), ($"fills[{index}].side", Side), ($"fills[{index}].quantity", Quantity), ($"fills[{index}].price", Price));

    public HypotheticalFill ToFill() => new(Symbol!, Side!, Quantity!.Value, Price!.Value, Fee ?? 0m, MarginMode, Leverage);
}
