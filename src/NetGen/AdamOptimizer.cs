using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Adam, following PyTorch's <c>torch.optim.Adam</c> (with its defaults, and weight decay as an L2
/// term added to the gradient, not AdamW's decoupled decay). At step t (from 1):
/// <code>
/// g = grad + weightDecay * p
/// m = beta1 * m + (1 - beta1) * g
/// v = beta2 * v + (1 - beta2) * g^2
/// p -= learningRate * mhat / (sqrt(vhat) + epsilon),   mhat = m / (1 - beta1^t),  vhat = v / (1 - beta2^t)
/// </code>
/// computed as PyTorch does, with the bias corrections folded into two per-step scalars:
/// <c>p -= (learningRate / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)</c>.
/// Vectorised with <see cref="Vector{T}"/>; allocation-free per step.
/// </summary>
/// <typeparam name="T">The network's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdamOptimizer<T> : IOptimizer<T>, IOptimizerState<T> where T : unmanaged
{
    private readonly OptimizerTarget<T> _target;
    private readonly T[] _firstMoment;
    private readonly T[] _secondMoment;
    private double _learningRate;

    /// <summary>Creates an optimizer for <paramref name="network"/>; the defaults are PyTorch's.</summary>
    /// <param name="network">The network whose parameters this optimizer updates.</param>
    /// <param name="learningRate">The step size; finite and at least 0.</param>
    /// <param name="beta1">The decay of the first-moment (mean) estimate, in [0, 1).</param>
    /// <param name="beta2">The decay of the second-moment (uncentred variance) estimate, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for numerical stability; at least 0.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient as <c>weightDecay * p</c>; at least 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of its range or not finite.</exception>
    /// <exception cref="ArgumentException">The network's arrays do not have <c>ParameterCount</c> elements.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public AdamOptimizer(INetwork<T> network, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        ElementTypes.EnsureSupported<T>();
        _target = new OptimizerTarget<T>(network ?? throw new ArgumentNullException(nameof(network)), nameof(network));
        OptimizerArguments.EnsureLearningRate(learningRate, nameof(learningRate));
        OptimizerArguments.EnsureFraction(beta1, nameof(beta1));
        OptimizerArguments.EnsureFraction(beta2, nameof(beta2));
        OptimizerArguments.EnsureNonNegative(epsilon, nameof(epsilon));
        OptimizerArguments.EnsureNonNegative(weightDecay, nameof(weightDecay));

        _learningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _firstMoment = new T[network.ParameterCount];
        _secondMoment = new T[network.ParameterCount];
    }

    /// <inheritdoc/>
    public INetwork<T> Network => _target.Network;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite; the rate stays as it was.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            OptimizerArguments.EnsureLearningRate(value, nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>The decay of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>The decay of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>The term added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 weight decay factor.</summary>
    public double WeightDecay { get; }

    /// <summary>
    /// Gradient clipping by global norm before each update, as PyTorch's <c>clip_grad_norm_</c>: where the L2
    /// norm of all of <see cref="INetwork{T}.Gradients"/> exceeds this, <see cref="Step"/> first scales them
    /// by <c>max / (norm + 1e-6)</c> (in place, as PyTorch does; see <see cref="GradientClipping"/>). Null (the
    /// default) clips nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite or not greater than 0; the setting stays as it was.</exception>
    public double? MaxGradientNorm
    {
        get => _maxGradientNorm;
        set
        {
            GradientClipping.EnsureMaxNorm(value, nameof(value));
            _maxGradientNorm = value;
        }
    }

    private double? _maxGradientNorm;

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <inheritdoc/>
    public bool Step()
    {
        _target.EnsureUnchanged();
        T[] parameters = _target.Parameters;
        T[] gradients = _target.Gradients;

        if (!Runtime.Simd.AllFinite<T>(gradients)) return false;
        if (_maxGradientNorm is double maxNorm) GradientClipping.ClipByGlobalNorm<T>(gradients, maxNorm);

        long t = StepCount + 1;
        var c = new Coefficients(this, t);
        Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters.AsSpan());
        ReadOnlySpan<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradients.AsSpan());
        Span<Vector<T>> m = MemoryMarshal.Cast<T, Vector<T>>(_firstMoment.AsSpan());
        Span<Vector<T>> v = MemoryMarshal.Cast<T, Vector<T>>(_secondMoment.AsSpan());
        for (int b = 0; b < p.Length; b++) Update(ref p[b], g[b], ref m[b], ref v[b], c);

        for (int i = p.Length * Vector<T>.Count; i < parameters.Length; i++)
        {
            // The tail runs the same vector arithmetic on one broadcast element, so that every
            // element is rounded identically whatever Vector<T>.Count is.
            Vector<T> pi = new(parameters[i]);
            Vector<T> mi = new(_firstMoment[i]);
            Vector<T> vi = new(_secondMoment[i]);
            Update(ref pi, new Vector<T>(gradients[i]), ref mi, ref vi, c);
            parameters[i] = pi[0];
            _firstMoment[i] = mi[0];
            _secondMoment[i] = vi[0];
        }

        StepCount = t;
        return true;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_firstMoment, 0, _firstMoment.Length);
        Array.Clear(_secondMoment, 0, _secondMoment.Length);
        StepCount = 0;
    }

    string IOptimizerState<T>.Kind => "Adam";

    (string Name, double Value)[] IOptimizerState<T>.Hyperparameters
        => new[] { ("beta1", Beta1), ("beta2", Beta2), ("epsilon", Epsilon), ("weightDecay", WeightDecay) };

    T[][] IOptimizerState<T>.StateArrays => new[] { _firstMoment, _secondMoment };

    void IOptimizerState<T>.Restore(long stepCount, T[][] stateArrays)
    {
        stateArrays[0].CopyTo(_firstMoment, 0);
        stateArrays[1].CopyTo(_secondMoment, 0);
        StepCount = stepCount;
    }

    private static void Update(ref Vector<T> p, Vector<T> g, ref Vector<T> m, ref Vector<T> v, in Coefficients c)
    {
        if (c.HasWeightDecay) g += c.WeightDecay * p;
        m = c.Beta1 * m + c.OneMinusBeta1 * g;
        v = c.Beta2 * v + c.OneMinusBeta2 * (g * g);
        Vector<T> denominator = Vector.SquareRoot(v) / c.SqrtBiasCorrection2 + c.Epsilon;
        p -= c.StepSize * (m / denominator);
    }

    /// <summary>
    /// The step's coefficients. The bias corrections are computed in double, as PyTorch computes them
    /// in Python floats, and rounded to <typeparamref name="T"/> once.
    /// </summary>
    private readonly struct Coefficients
    {
        public Coefficients(AdamOptimizer<T> adam, long step)
        {
            double biasCorrection1 = 1 - Math.Pow(adam.Beta1, step);
            double biasCorrection2 = 1 - Math.Pow(adam.Beta2, step);
            StepSize = Broadcast(adam._learningRate / biasCorrection1);
            SqrtBiasCorrection2 = Broadcast(Math.Sqrt(biasCorrection2));
            Beta1 = Broadcast(adam.Beta1);
            OneMinusBeta1 = Broadcast(1 - adam.Beta1);
            Beta2 = Broadcast(adam.Beta2);
            OneMinusBeta2 = Broadcast(1 - adam.Beta2);
            Epsilon = Broadcast(adam.Epsilon);
            WeightDecay = Broadcast(adam.WeightDecay);
            HasWeightDecay = adam.WeightDecay != 0;
        }

        public Vector<T> StepSize { get; }
        public Vector<T> SqrtBiasCorrection2 { get; }
        public Vector<T> Beta1 { get; }
        public Vector<T> OneMinusBeta1 { get; }
        public Vector<T> Beta2 { get; }
        public Vector<T> OneMinusBeta2 { get; }
        public Vector<T> Epsilon { get; }
        public Vector<T> WeightDecay { get; }
        public bool HasWeightDecay { get; }

        private static Vector<T> Broadcast(double value) => new(ElementTypes.FromDouble<T>(value));
    }
}
