import PPO

extension PPOConfig {
    /// The quick preset as it was before it annealed its learning rate and clip
    /// range: what tests written against that preset still train with, each
    /// saying why.
    static var quickUnannealed: PPOConfig {
        var ppo = PPOConfig.quick
        ppo.annealLearningRate = false
        ppo.annealClipRange = false
        return ppo
    }
}
