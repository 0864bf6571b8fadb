namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>POST /v1/markets/{symbol}/mark-price</c>.</summary>
public sealed record PriceRequest(decimal? Price) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("price", Price));
}
