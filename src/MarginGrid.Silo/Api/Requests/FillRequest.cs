using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>POST /v1/accounts/{id}/fills</c>.</summary>
public sealed record FillRequest(string? FillId, string? Symbol, string? Side, decimal? Quantity, decimal? Price, decimal? Fee) : IValidatable
{
    public (string Code, string Detail)? Validate() =>
        Required.Fields(("fillId", FillId), ("symbol", Symbol), ("side", Side), ("quantity", Quantity), ("price", Price), ("fee", Fee))
        ?? Required.Ids(("fillId", FillId)) ?? Required.Side(Side) ?? Required.Symbol(Symbol);

    /// <summary>The side, once <see cref="Validate"/> has passed.</summary>
    public OrderSide ParsedSide() => ContractWords.TryParse(Side, out OrderSide side) ? side : throw new InvalidOperationException("The body was not validated.");
}
