using System.Text.Json;

namespace MarginGrid.Silo.Api;

/// <summary>Reads a JSON body strictly: malformed JSON, numbers for money or unknown fields are a 400 with a clear code.</summary>
public static class Body
{
    public static async Task<(T? Value, IResult? Problem)> Read<T>(HttpRequest request)
        where T : class, IValidatable
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the body as application/json."));
        }

        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(request.Body, GridJson.Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException error)
        {
            return (null, Problems.BadRequest("malformed_json", $"The body is not valid: {error.Message}"));
        }

        if (value is null)
        {
            return (null, Problems.BadRequest("malformed_json", "The body is empty."));
        }

        return value.Validate() is { } problem ? (null, Problems.BadRequest(problem.Code, problem.Detail)) : (value, null);
    }
}
