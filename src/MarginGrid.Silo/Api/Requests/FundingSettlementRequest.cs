namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>POST /v1/markets/{symbol}/funding-settlements</c>; without a rate, the premium samples decide.</summary>
public sealed record FundingSettlementRequest(string? SettlementId, decimal? Rate = null) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("settlementId", SettlementId)) ?? Required.Ids(("settlementId", SettlementId));
}
