import CMuJoCo

/// The simulation state and workspace of one model (`mjData`). Owns its C memory.
///
/// Keeps its model alive. Not thread-safe: one thread steps one `SimulationData`.
public final class SimulationData: @unchecked Sendable {
    public let model: Model
    /// The underlying C data. Valid for the lifetime of this object.
    public let raw: UnsafeMutablePointer<mjData>

    public init(model: Model) throws {
        guard let raw = mj_makeData(model.raw) else {
            throw MuJoCoError("MuJoCo could not allocate simulation data for the model")
        }
        self.model = model
        self.raw = raw
    }

    deinit { mj_deleteData(raw) }

    // MARK: Simulation

    /// Resets state, controls and time to the model's defaults (`mj_resetData`).
    public func reset() { mj_resetData(model.raw, raw) }
    /// One full physics step (`mj_step`).
    public func step() { mj_step(model.raw, raw) }
    /// The position- and velocity-dependent half of a step (`mj_step1`).
    public func step1() { mj_step1(model.raw, raw) }
    /// The rest of a step after `step1` (`mj_step2`).
    public func step2() { mj_step2(model.raw, raw) }
    /// The same step as `step()`, for a state whose position- and
    /// velocity-dependent quantities are already current (right after `step1`
    /// or `forward`): only the acceleration stage is recomputed before
    /// integrating. Bit-for-bit the result of `mj_step`, at less cost.
    public func stepWithCurrentVelocityStage() {
        mj_checkPos(model.raw, raw)
        mj_checkVel(model.raw, raw)
        mj_forwardSkip(model.raw, raw, Int32(mjSTAGE_VEL.rawValue), 0)
        mj_checkAcc(model.raw, raw)
        if model.integrator == .rungeKutta4 {
            mj_RungeKutta(model.raw, raw, 4)
        } else {
            mj_Euler(model.raw, raw)
        }
    }
    /// Recomputes all derived quantities without advancing time (`mj_forward`).
    public func forward() { mj_forward(model.raw, raw) }

    /// Simulation time in seconds.
    public var time: Double {
        get { raw.pointee.time }
        set { raw.pointee.time = newValue }
    }

    /// Number of active contacts.
    public var contactCount: Int { Int(raw.pointee.ncon) }

    /// How many times each MuJoCo warning (`mjtWarning`) has been raised since the last reset.
    public var warningCounts: [Int] {
        withUnsafeBytes(of: raw.pointee.warning) { bytes in
            bytes.bindMemory(to: mjWarningStat.self).map { Int($0.number) }
        }
    }

    /// True when MuJoCo has raised any warning since the last reset (a bad number
    /// in position, velocity, acceleration or control, or a full contact or
    /// constraint buffer). dm_control treats the same condition as a physics error.
    public var hasWarnings: Bool {
        withUnsafeBytes(of: raw.pointee.warning) { bytes in
            bytes.bindMemory(to: mjWarningStat.self).contains { $0.number > 0 }
        }
    }

    // MARK: State vectors (live views into MuJoCo's memory)

    public var qpos: UnsafeMutableBufferPointer<Double> { .init(start: raw.pointee.qpos, count: model.nq) }
    public var qvel: UnsafeMutableBufferPointer<Double> { .init(start: raw.pointee.qvel, count: model.nv) }
    public var act: UnsafeMutableBufferPointer<Double> { .init(start: raw.pointee.act, count: model.na) }
    public var ctrl: UnsafeMutableBufferPointer<Double> { .init(start: raw.pointee.ctrl, count: model.nu) }
    public var qaccWarmstart: UnsafeMutableBufferPointer<Double> {
        .init(start: raw.pointee.qacc_warmstart, count: model.nv)
    }
    public var sensordata: UnsafeMutableBufferPointer<Double> {
        .init(start: raw.pointee.sensordata, count: model.nsensordata)
    }

    /// The physics state as dm_control's `get_state()` lays it out: qpos, qvel, act.
    public var state: [Double] {
        Array(qpos) + Array(qvel) + Array(act)
    }

    /// Length of `state`: nq + nv + na.
    public var stateSize: Int { model.nq + model.nv + model.na }

    /// Sets qpos, qvel and act from one vector laid out like `state`.
    /// - Throws: when the vector's length is not nq + nv + na.
    public func setState(_ state: [Double]) throws {
        guard state.count == stateSize else {
            throw MuJoCoError("state has \(state.count) entries; this model needs \(stateSize) (nq \(model.nq) + nv \(model.nv) + na \(model.na))")
        }
        let (nq, nv) = (model.nq, model.nv)
        for i in 0..<nq { qpos[i] = state[i] }
        for i in 0..<nv { qvel[i] = state[nq + i] }
        for i in 0..<model.na { act[i] = state[nq + nv + i] }
    }

    // MARK: Named access

    /// World position of a body's frame.
    public func xpos(_ body: Body) -> SIMD3<Double> { vector3(raw.pointee.xpos, body.id) }
    /// World orientation of a body's frame, row-major (xx, xy, xz, yx, … zz).
    public func xmat(_ body: Body) -> Rotation { rotation(raw.pointee.xmat, body.id) }
    /// World position of a site.
    public func sitePosition(_ site: Site) -> SIMD3<Double> { vector3(raw.pointee.site_xpos, site.id) }
    /// World position of a joint's anchor.
    public func anchor(_ joint: Joint) -> SIMD3<Double> { vector3(raw.pointee.xanchor, joint.id) }
    /// The first value of a sensor's reading.
    public func sensorValue(_ sensor: Sensor) -> Double { raw.pointee.sensordata[model.address(of: sensor)] }
    /// A three-dimensional sensor's reading.
    public func sensorVector(_ sensor: Sensor) -> SIMD3<Double> {
        let a = model.address(of: sensor)
        let s = raw.pointee.sensordata!
        return SIMD3(s[a], s[a + 1], s[a + 2])
    }

    /// Convenience by name; slower than resolving the `Body` once.
    public func xpos(body name: String) throws -> SIMD3<Double> { xpos(try model.body(name)) }
    public func xmat(body name: String) throws -> Rotation { xmat(try model.body(name)) }
    public func sensorReading(_ name: String) throws -> [Double] {
        let sensor = try model.sensor(name)
        let a = model.address(of: sensor)
        return Array(sensordata[a..<(a + model.dimension(of: sensor))])
    }

    private func vector3(_ array: UnsafeMutablePointer<Double>, _ id: Int) -> SIMD3<Double> {
        SIMD3(array[3 * id], array[3 * id + 1], array[3 * id + 2])
    }
    private func rotation(_ array: UnsafeMutablePointer<Double>, _ id: Int) -> Rotation {
        let m = array + 9 * id
        return Rotation(xx: m[0], xy: m[1], xz: m[2], yx: m[3], yy: m[4], yz: m[5], zx: m[6], zy: m[7], zz: m[8])
    }
}

/// A 3×3 rotation matrix with dm_control's entry names (row-major).
public struct Rotation: Sendable, Equatable {
    public var xx, xy, xz, yx, yy, yz, zx, zy, zz: Double

    /// Expresses a world-frame vector in this frame: vᵀ·R, as dm_control's `v.dot(frame)`.
    public func apply(transposedTo v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(v.x * xx + v.y * yx + v.z * zx,
              v.x * xy + v.y * yy + v.z * zy,
              v.x * xz + v.y * yz + v.z * zz)
    }
}
