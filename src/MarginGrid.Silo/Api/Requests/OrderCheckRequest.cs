namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>POST /v1/accounts/{id}/order-checks</c>.</summary>
public sealed record OrderCheckRequest(string? Symbol, string? Side, decimal? Quantity, decimal? Price) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("symbol", Symbol), ("side", Side), ("quantity", Quantity), ("price", Price)) ?? Required.Symbol(Symbol);
}
