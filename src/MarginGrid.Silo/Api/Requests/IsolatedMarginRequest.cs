namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>POST /v1/accounts/{id}/positions/{symbol}/isolated-margin</c>.</summary>
public sealed record IsolatedMarginRequest(string? OperationId, decimal? Delta) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("operationId", OperationId), ("delta", Delta)) ?? Required.Ids(("operationId", OperationId));
}
