using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, following
/// PyTorch's <c>torch.optim.SGD</c> with <c>dampening = 0</c>:
/// <code>
/// g   = grad + weightDecay * p
/// buf = momentum * buf + g            (buf starts at 0, so the first step sets buf = g)
/// d   = nesterov ? g + momentum * buf : buf      (d = g when momentum is 0)
/// p  -= learningRate * d
/// </code>
/// Vectorised with <see cref="Vector{T}"/>; allocation-free per step.
/// </summary>
/// <typeparam name="T">The network's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SgdOptimizer<T> : IOptimizer<T>, IOptimizerState<T> where T : unmanaged
{
    private readonly OptimizerTarget<T> _target;

    // The momentum buffer, in the layout of Parameters; empty when momentum is 0, which needs none.
    private readonly T[] _velocity;
    private double _learningRate;

    /// <summary>Creates an optimizer for <paramref name="network"/>.</summary>
    /// <param name="network">The network whose parameters this optimizer updates.</param>
    /// <param name="learningRate">The step size; finite and at least 0. The default is PyTorch's (since 2.2).</param>
    /// <param name="momentum">The momentum factor in [0, 1); 0 is plain gradient descent.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient as <c>weightDecay * p</c>; at least 0.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum; needs a positive <paramref name="momentum"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is negative, not finite, or momentum is 1 or more.</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> without momentum, or the network's arrays do not have <c>ParameterCount</c> elements.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public SgdOptimizer(INetwork<T> network, double learningRate = 1e-3, double momentum = 0, double weightDecay = 0, bool nesterov = false)
    {
        ElementTypes.EnsureSupported<T>();
        _target = new OptimizerTarget<T>(network ?? throw new ArgumentNullException(nameof(network)), nameof(network));
        OptimizerArguments.EnsureLearningRate(learningRate, nameof(learningRate));
        OptimizerArguments.EnsureFraction(momentum, nameof(momentum));
        OptimizerArguments.EnsureNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a positive momentum.", nameof(nesterov));
        }

        _learningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _velocity = momentum == 0 ? Array.Empty<T>() : new T[network.ParameterCount];
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

    /// <summary>The momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>The L2 weight decay factor.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

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

        var c = new Coefficients(_learningRate, Momentum, WeightDecay, Nesterov);
        Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters.AsSpan());
        ReadOnlySpan<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradients.AsSpan());
        int tail = p.Length * Vector<T>.Count;

        if (_velocity.Length == 0)
        {
            Vector<T> unused = default;
            for (int b = 0; b < p.Length; b++) Update(ref p[b], g[b], ref unused, c);
            for (int i = tail; i < parameters.Length; i++)
            {
                // The tail runs the same vector arithmetic on one broadcast element, so that every
                // element is rounded identically whatever Vector<T>.Count is.
                Vector<T> pi = new(parameters[i]);
                Update(ref pi, new Vector<T>(gradients[i]), ref unused, c);
                parameters[i] = pi[0];
            }
        }
        else
        {
            Span<Vector<T>> buf = MemoryMarshal.Cast<T, Vector<T>>(_velocity.AsSpan());
            for (int b = 0; b < p.Length; b++) Update(ref p[b], g[b], ref buf[b], c);
            for (int i = tail; i < parameters.Length; i++)
            {
                Vector<T> pi = new(parameters[i]);
                Vector<T> bi = new(_velocity[i]);
                Update(ref pi, new Vector<T>(gradients[i]), ref bi, c);
                parameters[i] = pi[0];
                _velocity[i] = bi[0];
            }
        }

        StepCount++;
        return true;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_velocity, 0, _velocity.Length);
        StepCount = 0;
    }

    string IOptimizerState<T>.Kind => "SGD";

    (string Name, double Value)[] IOptimizerState<T>.Hyperparameters
        => new[] { ("momentum", Momentum), ("weightDecay", WeightDecay), ("nesterov", Nesterov ? 1.0 : 0.0) };

    // Without momentum there is no buffer: the step count is the whole state.
    T[][] IOptimizerState<T>.StateArrays => _velocity.Length == 0 ? System.Array.Empty<T[]>() : new[] { _velocity };

    void IOptimizerState<T>.Restore(long stepCount, T[][] stateArrays)
    {
        if (stateArrays.Length > 0) stateArrays[0].CopyTo(_velocity, 0);
        StepCount = stepCount;
    }

    private static void Update(ref Vector<T> p, Vector<T> g, ref Vector<T> velocity, in Coefficients c)
    {
        // PyTorch skips the decay term when it is 0 rather than adding 0 * p, which would turn an
        // infinite parameter's finite gradient into NaN.
        if (c.HasWeightDecay) g += c.WeightDecay * p;
        if (c.HasMomentum)
        {
            velocity = c.Momentum * velocity + g;
            g = c.Nesterov ? g + c.Momentum * velocity : velocity;
        }

        p -= c.LearningRate * g;
    }

    /// <summary>The step's coefficients, broadcast once per step rather than once per block.</summary>
    private readonly struct Coefficients
    {
        public Coefficients(double learningRate, double momentum, double weightDecay, bool nesterov)
        {
            LearningRate = new Vector<T>(ElementTypes.FromDouble<T>(learningRate));
            Momentum = new Vector<T>(ElementTypes.FromDouble<T>(momentum));
            WeightDecay = new Vector<T>(ElementTypes.FromDouble<T>(weightDecay));
            HasMomentum = momentum != 0;
            HasWeightDecay = weightDecay != 0;
            Nesterov = nesterov;
        }

        public Vector<T> LearningRate { get; }
        public Vector<T> Momentum { get; }
        public Vector<T> WeightDecay { get; }
        public bool HasMomentum { get; }
        public bool HasWeightDecay { get; }
        public bool Nesterov { get; }
    }
}
