using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>POST /v1/accounts/{id}/order-checks</c>.</summary>
public sealed record OrderCheckRequest(string? Symbol, string? Side, decimal? Quantity, decimal? Price) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("symbol", Symbol), ("side", Side), ("quantity", Quantity), ("price", Price)) ?? Required.Side(Side) ?? Required.Symbol(Symbol);

    /// <summary>The side, once <see cref="Validate"/> has passed.</summary>
    public OrderSide ParsedSide() => ContractWords.TryParse(Side, out OrderSide side) ? side : throw new InvalidOperationException("The body was not validated.");
}
