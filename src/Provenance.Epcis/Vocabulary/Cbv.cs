namespace Provenance.Epcis.Vocabulary;

/// <summary>
/// GS1 Core Business Vocabulary 2.0 terms and their web URIs, as the EPCIS 2.0 JSON-LD context maps the bare
/// terms a JSON document may use (<c>"bizStep": "shipping"</c> ⇒ <c>https://ref.gs1.org/cbv/BizStep-shipping</c>).
/// The term lists are those the EPCIS 2.0 JSON Schema enumerates.
/// </summary>
public static class Cbv
{
    /// <summary>The CBV web vocabulary base.</summary>
    public const string Base = "https://ref.gs1.org/cbv/";

    /// <summary>The GS1 web vocabulary base (measurement and sensor alert types).</summary>
    public const string Gs1Voc = "https://gs1.org/voc/";

    /// <summary>Business steps (CBV 2.0 §7.1).</summary>
    public static readonly VocabularyKind BizStep = new(Base + "BizStep-", "urn:epcglobal:cbv:bizstep:",
    [
        "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance",
        "cycle_counting", "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding",
        "entering_exiting", "holding", "inspecting", "installing", "killing", "loading", "other", "packing", "picking",
        "receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "shipping",
        "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading", "unpacking",
        "void_shipping", "sensor_reporting", "sampling",
    ]);

    /// <summary>Dispositions (CBV 2.0 §7.2).</summary>
    public static readonly VocabularyKind Disposition = new(Base + "Disp-", "urn:epcglobal:cbv:disp:",
    [
        "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded", "expired",
        "in_progress", "in_transit", "inactive", "no_pedigree_match", "non_sellable_other", "partially_dispensed",
        "recalled", "reserved", "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen",
        "unknown", "available", "completeness_verified", "completeness_inferred", "conformant", "container_open",
        "mismatch_instance", "mismatch_class", "mismatch_quantity", "needs_replacement", "non_conformant", "unavailable",
    ]);

    /// <summary>Business transaction types (CBV 2.0 §7.3).</summary>
    public static readonly VocabularyKind BizTransactionType = new(Base + "BTT-", "urn:epcglobal:cbv:btt:",
        ["bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma", "testprd", "testres", "upevt"]);

    /// <summary>Source/destination types (CBV 2.0 §7.4).</summary>
    public static readonly VocabularyKind SourceDestinationType = new(Base + "SDT-", "urn:epcglobal:cbv:sdt:",
        ["owning_party", "possessing_party", "location"]);

    /// <summary>Error reasons (CBV 2.0 §7.5).</summary>
    public static readonly VocabularyKind ErrorReason = new(Base + "ER-", "urn:epcglobal:cbv:er:",
        ["did_not_occur", "incorrect_data"]);

    /// <summary>Sensor report components (CBV 2.0 §7.7).</summary>
    public static readonly VocabularyKind Component = new(Base + "Comp-", null,
    [
        "x", "y", "z", "axial_distance", "azimuth", "height", "spherical_radius", "polar_angle", "elevation_angle",
        "easting", "northing", "latitude", "longitude", "altitude",
    ]);

    /// <summary>Sensor alert types (GS1 web vocabulary).</summary>
    public static readonly VocabularyKind SensorAlertType = new(Gs1Voc + "SensorAlertType-", null,
        ["ALARM_CONDITION", "ERROR_CONDITION"]);

    /// <summary>Measurement types (GS1 web vocabulary <c>gs1:MeasurementType</c>).</summary>
    public static readonly VocabularyKind MeasurementType = new(Gs1Voc, null,
    [
        "AbsoluteHumidity", "AbsorbedDose", "AbsorbedDoseRate", "Acceleration", "Radioactivity", "Altitude",
        "AmountOfSubstance", "AmountOfSubstancePerUnitVolume", "Angle", "AngularAcceleration", "AngularMomentum",
        "AngularVelocity", "Area", "Capacitance", "Conductance", "Conductivity", "Count", "Density", "Dimensionless",
        "DoseEquivalent", "DoseEquivalentRate", "DynamicViscosity", "ElectricCharge", "ElectricCurrent",
        "ElectricCurrentDensity", "ElectricFieldStrength", "Energy", "Exposure", "Force", "Frequency", "Illuminance",
        "Inductance", "Irradiance", "KinematicViscosity", "Length", "LinearMomentum", "Luminance", "LuminousFlux",
        "LuminousIntensity", "MagneticFlux", "MagneticFluxDensity", "MagneticVectorPotential", "Mass",
        "MassConcentration", "MassFlowRate", "MassPerAreaTime", "MemoryCapacity", "MolalityOfSolute", "MolarEnergy",
        "MolarMass", "MolarVolume", "Power", "Pressure", "RadiantFlux", "RadiantIntensity", "RelativeHumidity",
        "Resistance", "Resistivity", "SolidAngle", "SpecificVolume", "Speed", "SurfaceDensity", "SurfaceTension",
        "Temperature", "Time", "Torque", "Voltage", "Volume", "VolumeFlowRate", "VolumeFraction", "VolumetricFlux",
        "Wavenumber",
    ]);
}

/// <summary>One CBV vocabulary: its web URI prefix, its EPCIS 1.x URN prefix (if any) and its bare terms.</summary>
public sealed class VocabularyKind
{
    private readonly HashSet<string> _terms;

    internal VocabularyKind(string webPrefix, string? urnPrefix, IEnumerable<string> terms)
    {
        WebPrefix = webPrefix;
        UrnPrefix = urnPrefix;
        _terms = new HashSet<string>(terms, StringComparer.Ordinal);
    }

    /// <summary>The web URI prefix, e.g. <c>https://ref.gs1.org/cbv/BizStep-</c>.</summary>
    public string WebPrefix { get; }

    /// <summary>The EPCIS 1.x URN prefix, e.g. <c>urn:epcglobal:cbv:bizstep:</c>.</summary>
    public string? UrnPrefix { get; }

    /// <summary>The bare terms, e.g. <c>shipping</c>.</summary>
    public IReadOnlyCollection<string> Terms => _terms;

    /// <summary>The web URI of a bare term (<c>null</c> when it is not a term of this vocabulary).</summary>
    public string? Expand(string bareTerm) => _terms.Contains(bareTerm) ? WebPrefix + bareTerm : null;

    /// <summary>The web URI of <paramref name="value"/> in any of its three forms (bare term, URN, web URI), else null.</summary>
    public string? ToWebUri(string value)
    {
        if (Expand(value) is { } expanded)
        {
            return expanded;
        }

        if (UrnPrefix is not null && value.StartsWith(UrnPrefix, StringComparison.Ordinal)
            && _terms.Contains(value[UrnPrefix.Length..]))
        {
            return WebPrefix + value[UrnPrefix.Length..];
        }

        return value.StartsWith(WebPrefix, StringComparison.Ordinal) && _terms.Contains(value[WebPrefix.Length..])
            ? value
            : null;
    }

    /// <summary>The bare term of a value in any of its three forms, else null.</summary>
    public string? ToTerm(string value) => ToWebUri(value) is { } uri ? uri[WebPrefix.Length..] : null;
}
