using System;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// A double-double number, <c>Hi + Lo</c> with |Lo| at most half an ulp of Hi: about 106 bits, enough to
/// measure a double result's error in ulps (a double reference from Math.Exp would itself be off by up to
/// an ulp). Products are exact through fused multiply-add (or, on .NET Framework, Dekker's product:
/// <see cref="Portable.ProductError"/>).
/// </summary>
internal readonly struct DoubleDouble
{
    public readonly double Hi;
    public readonly double Lo;

    public DoubleDouble(double hi, double lo = 0d)
    {
        Hi = hi;
        Lo = lo;
    }

    public static readonly DoubleDouble One = new(1d);

    /// <summary>ln 2 to 106 bits.</summary>
    public static readonly DoubleDouble Ln2 = new(0.6931471805599453094, 2.3190468138462996e-17);

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        // Knuth's two-sum of the high parts, then the low parts added in.
        double s = a.Hi + b.Hi;
        double v = s - a.Hi;
        double e = (a.Hi - (s - v)) + (b.Hi - v);
        return Normalize(s, e + a.Lo + b.Lo);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + (-b);

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        double p = a.Hi * b.Hi;
        double e = Portable.ProductError(a.Hi, b.Hi, p);
        return Normalize(p, e + (a.Hi * b.Lo) + (a.Lo * b.Hi));
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        // One Newton step on the double quotient: q + (a - q b) / b.
        double q = a.Hi / b.Hi;
        DoubleDouble r = a - (b * new DoubleDouble(q));
        return new DoubleDouble(q) + new DoubleDouble(r.Hi / b.Hi);
    }

    public static implicit operator DoubleDouble(double value) => new(value);

    private static DoubleDouble Normalize(double hi, double lo)
    {
        double s = hi + lo;
        return new DoubleDouble(s, lo - (s - hi));
    }
}

/// <summary>A reference value as <c>Mantissa * 2^Exponent</c>, so that results far below the double range keep all their bits.</summary>
internal readonly record struct Scaled(DoubleDouble Mantissa, int Exponent)
{
    public static Scaled operator *(Scaled a, DoubleDouble b) => new(a.Mantissa * b, a.Exponent);

    public static Scaled operator /(Scaled a, DoubleDouble b) => new(a.Mantissa / b, a.Exponent);

    public static implicit operator Scaled(DoubleDouble value) => new(value, 0);

    public bool IsNaN => double.IsNaN(Mantissa.Hi);

    /// <summary>The value rounded to double (where it is subnormal, to within an ulp: good enough to read).</summary>
    public double ToDouble() => Portable.ScaleB(Mantissa.Hi, Exponent) + Portable.ScaleB(Mantissa.Lo, Exponent);
}

/// <summary>
/// The functions the kernels compute, in double-double: the references of the accuracy tests. Written for
/// clarity over speed, and checked against the platform's double maths library by
/// <see cref="ReferenceTests"/>.
/// </summary>
internal static class Reference
{
    /// <summary>e^x as a mantissa in [0.7, 1.5) times 2^k, so that neither over- nor underflows.</summary>
    public static Scaled Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return new DoubleDouble(double.NaN);
        }
        // Far past both ends of the double range (and of an int exponent): 0 and infinity.
        if (x < -1e6)
        {
            return new DoubleDouble(0d);
        }
        if (x > 1e6)
        {
            return new DoubleDouble(double.PositiveInfinity);
        }
        int k = (int)Math.Round(x / Ln2Double);
        DoubleDouble r = new DoubleDouble(x) - (DoubleDouble.Ln2 * k);
        // e^r = (e^(r / 1024))^1024: the Taylor series of e^(r / 1024) needs few terms, and ten squarings
        // lose ten bits of 106.
        DoubleDouble small = r * new DoubleDouble(1d / 1024);
        DoubleDouble sum = DoubleDouble.One;
        DoubleDouble term = DoubleDouble.One;
        for (int n = 1; n <= 12; n++)
        {
            term = term * small / n;
            sum += term;
        }
        for (int i = 0; i < 10; i++)
        {
            sum *= sum;
        }
        return new Scaled(sum, k);
    }

    /// <summary>e^x - 1 without cancellation: the Taylor series for |x| &lt;= 1, e^x - 1 beyond.</summary>
    public static DoubleDouble ExpMinusOne(double x)
    {
        if (Math.Abs(x) > 1d)
        {
            return Value(Exp(x)) - DoubleDouble.One;
        }
        DoubleDouble sum = 0d;
        DoubleDouble term = DoubleDouble.One;
        for (int n = 1; n <= 40; n++)
        {
            term = term * x / n;
            sum += term;
        }
        return sum;
    }

    /// <summary>tanh(x) = -m / (2 + m) with m = e^(-2|x|) - 1, the sign restored: no cancellation at any x.</summary>
    public static DoubleDouble Tanh(double x)
    {
        if (double.IsNaN(x) || x == 0)
        {
            return x;
        }
        if (Math.Abs(x) > 40d)
        {
            // 1 - tanh|x| < 2e-34: below a double-double's resolution at 1.
            return Math.Sign(x);
        }
        DoubleDouble m = ExpMinusOne(-2d * Math.Abs(x));
        DoubleDouble t = -m / (new DoubleDouble(2d) + m);
        return x < 0 ? -t : t;
    }

    /// <summary>sigmoid(x) = 1 / (1 + e^-x) for x &gt;= 0, e^x / (1 + e^x) below.</summary>
    public static Scaled Sigmoid(double x)
    {
        if (double.IsNaN(x))
        {
            return new DoubleDouble(double.NaN);
        }
        Scaled e = Exp(-Math.Abs(x));
        DoubleDouble denominator = DoubleDouble.One + Value(e);
        return x >= 0 ? new Scaled(DoubleDouble.One / denominator, 0) : e / denominator;
    }

    /// <summary>1 - sigmoid(x), formed without cancellation: sigmoid(-x).</summary>
    public static Scaled OneMinusSigmoid(double x) => Sigmoid(-x);

    /// <summary>SiLU(x) = x sigmoid(x).</summary>
    public static Scaled SiLU(double x) => double.IsInfinity(x) ? new DoubleDouble(x > 0 ? x : -0d) : Sigmoid(x) * x;

    /// <summary>
    /// The SiLU slope s + x s (1 - s), and the larger magnitude of its two terms: near the slope's root
    /// (x = -1.278...) the terms cancel, and an element-type result can only be measured against them.
    /// </summary>
    public static (Scaled Slope, double Scale) SiLUSlope(double x)
    {
        if (double.IsPositiveInfinity(x))
        {
            return (DoubleDouble.One, 1d);
        }
        if (double.IsNegativeInfinity(x))
        {
            return (new DoubleDouble(0d), 0d);
        }
        Scaled s = Sigmoid(x);
        DoubleDouble oneMinus = Value(OneMinusSigmoid(x));
        // Both terms carry the same power of two when x < 0 (e^x's), none when x >= 0.
        if (x >= 0)
        {
            DoubleDouble sd = Value(s);
            DoubleDouble second = sd * x * oneMinus;
            return (sd + second, Math.Max(Math.Abs(sd.Hi), Math.Abs(second.Hi)));
        }
        DoubleDouble product = s.Mantissa * x * oneMinus;
        Scaled slope = new(s.Mantissa + product, s.Exponent);
        return (slope, Portable.ScaleB(Math.Max(Math.Abs(s.Mantissa.Hi), Math.Abs(product.Hi)), s.Exponent));
    }

    private const double Ln2Double = 0.6931471805599453094;

    /// <summary>A scaled value brought to one double-double (bits below its range are lost: only for values of moderate size).</summary>
    private static DoubleDouble Value(Scaled value) => new DoubleDouble(Portable.ScaleB(value.Mantissa.Hi, value.Exponent)) + Portable.ScaleB(value.Mantissa.Lo, value.Exponent);
}
