namespace Provenance.Epcis.Vocabulary;

/// <summary>
/// Processing steps of Kashmiri handicrafts that CBV has no business step for. Exported as our own business step
/// URIs <c>{base}/voc/BizStep-{step}</c> (see <see cref="EpcisProfile.CraftBizStep"/>), named like CBV's own.
/// </summary>
public enum CraftStep
{
    /// <summary>Hand-spinning the yarn (Pashmina on the charkha).</summary>
    Spinning,

    /// <summary>Dyeing yarn or cloth.</summary>
    Dyeing,

    /// <summary>Weaving on the loom (including Kani tapestry weaving and carpet knotting).</summary>
    Weaving,

    /// <summary>Needlework: Sozni, crewel, aari, tilla.</summary>
    Embroidery,

    /// <summary>Washing (carpets, shawls after weaving).</summary>
    Washing,

    /// <summary>Finishing: clipping, stretching, fringing, lacquering.</summary>
    Finishing,
}

/// <summary>Names of <see cref="CraftStep"/> values as they appear in URIs.</summary>
public static class CraftSteps
{
    /// <summary>The URI term of a step (<c>spinning</c>, …).</summary>
    public static string Term(this CraftStep step) => step switch
    {
        CraftStep.Spinning => "spinning",
        CraftStep.Dyeing => "dyeing",
        CraftStep.Weaving => "weaving",
        CraftStep.Embroidery => "embroidery",
        CraftStep.Washing => "washing",
        CraftStep.Finishing => "finishing",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a craft step"),
    };

    /// <summary>The step of a URI term, or null.</summary>
    public static CraftStep? FromTerm(string term) =>
        Enum.GetValues<CraftStep>().Select(s => (CraftStep?)s).FirstOrDefault(s => s!.Value.Term() == term);
}
