namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>POST /v1/markets/{symbol}/index-price</c>.</summary>
public sealed record IndexPriceRequest(decimal? Price, decimal? ImpactBid = null, decimal? ImpactAsk = null) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("price", Price));
}
