using System.Globalization;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.OpenApi;
using MarginGrid.Silo.Api.Requests;

namespace MarginGrid.Silo.Endpoints;

/// <summary>
/// <c>/v1/accounts/{accountId}/what-if</c> and <c>/max-order</c>: reads of a state that is not stored. Like every
/// account read: admin and reader keys for any account, an account key for its own only.
/// </summary>
public static class WhatIfEndpoints
{
    public static IEndpointRouteBuilder MapWhatIfEndpoints(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/v1/accounts/{accountId}").WithTags("Accounts");
        accounts.MapPost("/what-if", WhatIf).RequireAuthorization()
            .Command<WhatIfRequestBody, AccountMarginView>("WhatIf", "The margin after hypothetical fills, marks and shocks; nothing is stored");
        accounts.MapGet("/max-order", MaxOrder).RequireAuthorization()
            .Read<MaxOrderView>("GetMaxOrder", "The largest quantity the pre-trade check accepts now",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> WhatIf(string accountId, HttpContext http, IGrainFactory grains)
    {
        if (AccountEndpoints.Read(accountId, http) is { } refused)
        {
            return refused;
        }

        // No body at all is the live state, marked hypothetical, as an empty object is.
        var request = WhatIfRequest.Empty;
        var noBody = http.Request.ContentType is null && http.Request.ContentLength is null or 0 && http.Request.Headers.TransferEncoding.Count == 0;
        if (!noBody)
        {
            var (body, problem) = await Body.Read<WhatIfRequestBody>(http.Request);
            if (problem is not null)
            {
                return problem;
            }

            request = body!.ToRequest();
        }

        return Problems.From(http, await grains.GetGrain<IAccountGrain>(accountId).WhatIf(request));
    }

    private static async Task<IResult> MaxOrder(string accountId, string? symbol, string? side, string? price, HttpContext http, IGrainFactory grains)
    {
        if (AccountEndpoints.Read(accountId, http) is { } refused)
        {
            return refused;
        }

        if (Required.Fields(("symbol", symbol), ("side", side), ("price", price)) is { } missing)
        {
            return Problems.BadRequest(missing.Code, missing.Detail);
        }

        if (Ids.CheckSymbol(symbol!) is { } badSymbol)
        {
            return badSymbol;
        }

        if (!ContractWords.TryParse(side, out OrderSide orderSide))
        {
            return Problems.BadRequest(Domain.Common.ErrorCodes.InvalidArgument, ContractWords.BadSide(side));
        }

        // The same reading of a decimal string as the JSON bodies'.
        if (!decimal.TryParse(price, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
        {
            return Problems.BadRequest("invalid_price", $"'{price}' is not a decimal number.");
        }

        return Problems.From(http, await grains.GetGrain<IAccountGrain>(accountId).MaxOrder(symbol!, orderSide, parsed));
    }
}
