import CMuJoCo

/// A compiled MuJoCo model (`mjModel`). Owns its C memory.
///
/// A model is read-only during simulation except for the few edits tasks
/// make between episodes (damping, site colours and sizes). It is not
/// thread-safe to edit a model while another thread steps a simulation of it.
public final class Model: @unchecked Sendable {
    /// The underlying C model. Valid for the lifetime of this object.
    public let raw: UnsafeMutablePointer<mjModel>

    /// Loads and compiles an MJCF or URDF file. Includes resolve relative to
    /// the file's folder.
    public convenience init(contentsOf path: String) throws {
        MuJoCoRuntime.installHandlers()
        var errorBuffer = [CChar](repeating: 0, count: 1000)
        let model = mj_loadXML(path, nil, &errorBuffer, Int32(errorBuffer.count))
        guard let model else {
            throw MuJoCoError("cannot load model \(path): \(Self.decode(errorBuffer))")
        }
        self.init(owning: model)
    }

    /// Compiles MJCF text held in memory. `path` names the file it stands for:
    /// includes such as `./common/materials.xml` resolve relative to its folder
    /// on disk. No file is written.
    public convenience init(xml: String, path: String) throws {
        MuJoCoRuntime.installHandlers()
        let bytes = Array(xml.utf8)
        // mjVFS is about 2 MB: keep it on the heap.
        let vfs = UnsafeMutablePointer<mjVFS>.allocate(capacity: 1)
        defer { mj_deleteVFS(vfs); vfs.deallocate() }
        mj_defaultVFS(vfs)
        // MuJoCo 2.2.2 ignores the directory argument of mj_addFileVFS, so the
        // whole path is used as the in-memory file name.
        guard mj_makeEmptyFileVFS(vfs, path, Int32(bytes.count)) == 0 else {
            throw MuJoCoError("cannot register in-memory model \(path)")
        }
        let index = Int(mj_findFileVFS(vfs, path))
        guard index >= 0, let destination = Self.vfsFileData(vfs, index) else {
            throw MuJoCoError("cannot register in-memory model \(path)")
        }
        bytes.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        var errorBuffer = [CChar](repeating: 0, count: 1000)
        let model = mj_loadXML(path, vfs, &errorBuffer, Int32(errorBuffer.count))
        guard let model else {
            throw MuJoCoError("cannot compile model \(path): \(Self.decode(errorBuffer))")
        }
        self.init(owning: model)
    }

    private init(owning raw: UnsafeMutablePointer<mjModel>) {
        self.raw = raw
    }

    deinit { mj_deleteModel(raw) }

    private static func vfsFileData(_ vfs: UnsafeMutablePointer<mjVFS>, _ index: Int) -> UnsafeMutableRawPointer? {
        withUnsafeMutablePointer(to: &vfs.pointee.filedata) { tuple in
            tuple.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: Int(mjMAXVFS)) { $0[index] }
        }
    }

    static func decode(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.isEmpty ? "no message from MuJoCo" : text
    }

    // MARK: Sizes

    public var nq: Int { Int(raw.pointee.nq) }
    public var nv: Int { Int(raw.pointee.nv) }
    public var na: Int { Int(raw.pointee.na) }
    public var nu: Int { Int(raw.pointee.nu) }
    public var nbody: Int { Int(raw.pointee.nbody) }
    public var njnt: Int { Int(raw.pointee.njnt) }
    public var ngeom: Int { Int(raw.pointee.ngeom) }
    public var nsite: Int { Int(raw.pointee.nsite) }
    public var nsensor: Int { Int(raw.pointee.nsensor) }
    public var nsensordata: Int { Int(raw.pointee.nsensordata) }

    /// The physics time step in seconds.
    public var timestep: Double { raw.pointee.opt.timestep }

    /// The numerical integrator the model was compiled with.
    public var integrator: Integrator {
        raw.pointee.opt.integrator == Int32(mjINT_RK4.rawValue) ? .rungeKutta4 : .euler
    }

    /// Whether actuation is switched off through the model's disable flags.
    public var isActuationDisabled: Bool {
        get { raw.pointee.opt.disableflags & Int32(mjDSBL_ACTUATION.rawValue) != 0 }
        set {
            let bit = Int32(mjDSBL_ACTUATION.rawValue)
            if newValue { raw.pointee.opt.disableflags |= bit } else { raw.pointee.opt.disableflags &= ~bit }
        }
    }

    /// The lower and upper control limits of every actuator (±∞ where unlimited).
    public var controlRange: [ClosedRange<Double>] {
        (0..<nu).map { i in
            guard raw.pointee.actuator_ctrllimited[i] != 0 else { return -Double.infinity...Double.infinity }
            return raw.pointee.actuator_ctrlrange[2 * i]...raw.pointee.actuator_ctrlrange[2 * i + 1]
        }
    }

    // MARK: Names

    /// The id of the named object of the given kind.
    /// - Throws: `MuJoCoError` naming the kind and the missing name.
    public func id(of kind: ObjectKind, named name: String) throws -> Int {
        let id = Int(mj_name2id(raw, kind.mjObject, name))
        guard id >= 0 else { throw MuJoCoError("the model has no \(kind) named '\(name)'") }
        return id
    }

    /// The name of object `id` of the given kind, or nil when it is unnamed.
    public func name(of kind: ObjectKind, id: Int) -> String? {
        guard let name = mj_id2name(raw, kind.mjObject, Int32(id)) else { return nil }
        let text = String(cString: name)
        return text.isEmpty ? nil : text
    }

    public func body(_ name: String) throws -> Body { Body(id: try id(of: .body, named: name)) }
    public func joint(_ name: String) throws -> Joint { Joint(id: try id(of: .joint, named: name)) }
    public func geom(_ name: String) throws -> Geom { Geom(id: try id(of: .geom, named: name)) }
    public func site(_ name: String) throws -> Site { Site(id: try id(of: .site, named: name)) }
    public func sensor(_ name: String) throws -> Sensor { Sensor(id: try id(of: .sensor, named: name)) }
    public func actuator(_ name: String) throws -> Actuator { Actuator(id: try id(of: .actuator, named: name)) }

    // MARK: Joints

    public func type(of joint: Joint) -> JointType { JointType(rawValue: raw.pointee.jnt_type[joint.id]) ?? .free }
    public func isLimited(_ joint: Joint) -> Bool { raw.pointee.jnt_limited[joint.id] != 0 }
    public func range(of joint: Joint) -> ClosedRange<Double> {
        raw.pointee.jnt_range[2 * joint.id]...raw.pointee.jnt_range[2 * joint.id + 1]
    }
    /// Index of the joint's first coordinate in `qpos`.
    public func qposAddress(of joint: Joint) -> Int { Int(raw.pointee.jnt_qposadr[joint.id]) }
    /// Index of the joint's first degree of freedom in `qvel`.
    public func dofAddress(of joint: Joint) -> Int { Int(raw.pointee.jnt_dofadr[joint.id]) }
    public var joints: [Joint] { (0..<njnt).map(Joint.init(id:)) }

    // MARK: Sensors

    public func address(of sensor: Sensor) -> Int { Int(raw.pointee.sensor_adr[sensor.id]) }
    public func dimension(of sensor: Sensor) -> Int { Int(raw.pointee.sensor_dim[sensor.id]) }
    public func type(of sensor: Sensor) -> SensorType { SensorType(rawValue: raw.pointee.sensor_type[sensor.id]) }
    /// All sensors of the given types, in model order.
    public func sensors(ofType types: Set<SensorType>) -> [Sensor] {
        (0..<nsensor).map(Sensor.init(id:)).filter { types.contains(type(of: $0)) }
    }

    // MARK: Geometry and edits tasks make

    public func size(of geom: Geom) -> SIMD3<Double> { vector3(raw.pointee.geom_size, geom.id) }
    public func size(of site: Site) -> SIMD3<Double> { vector3(raw.pointee.site_size, site.id) }
    public func setSize(of site: Site, _ size: SIMD3<Double>) { store3(raw.pointee.site_size, site.id, size) }
    public func position(of site: Site) -> SIMD3<Double> { vector3(raw.pointee.site_pos, site.id) }
    public func setPosition(of site: Site, _ position: SIMD3<Double>) { store3(raw.pointee.site_pos, site.id, position) }

    /// Sets the alpha channel of a site's colour (0 hides it in renderings).
    public func setAlpha(of site: Site, _ alpha: Float) { raw.pointee.site_rgba[4 * site.id + 3] = alpha }
    public func alpha(of site: Site) -> Float { raw.pointee.site_rgba[4 * site.id + 3] }

    /// Damping of the joint's first degree of freedom.
    public func damping(of joint: Joint) -> Double { raw.pointee.dof_damping[dofAddress(of: joint)] }
    public func setDamping(of joint: Joint, _ value: Double) { raw.pointee.dof_damping[dofAddress(of: joint)] = value }

    private func vector3(_ array: UnsafeMutablePointer<Double>, _ id: Int) -> SIMD3<Double> {
        SIMD3(array[3 * id], array[3 * id + 1], array[3 * id + 2])
    }
    private func store3(_ array: UnsafeMutablePointer<Double>, _ id: Int, _ value: SIMD3<Double>) {
        array[3 * id] = value.x; array[3 * id + 1] = value.y; array[3 * id + 2] = value.z
    }
}

/// The integrators a model can use.
public enum Integrator: Sendable { case euler, rungeKutta4 }

/// Joint types, with MuJoCo's numbering.
public enum JointType: Int32, Sendable { case free = 0, ball = 1, slide = 2, hinge = 3 }

/// A sensor's type (`mjtSensor`).
public struct SensorType: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    init(_ value: mjtSensor) { rawValue = Int32(value.rawValue) }

    public static let accelerometer = SensorType(mjSENS_ACCELEROMETER)
    public static let gyro = SensorType(mjSENS_GYRO)
    public static let force = SensorType(mjSENS_FORCE)
    public static let torque = SensorType(mjSENS_TORQUE)
    public static let rangefinder = SensorType(mjSENS_RANGEFINDER)
    public static let touch = SensorType(mjSENS_TOUCH)
}

/// Kinds of named model objects.
public enum ObjectKind: Sendable, CustomStringConvertible {
    case body, joint, geom, site, sensor, actuator

    var mjObject: Int32 {
        switch self {
        case .body: Int32(mjOBJ_BODY.rawValue)
        case .joint: Int32(mjOBJ_JOINT.rawValue)
        case .geom: Int32(mjOBJ_GEOM.rawValue)
        case .site: Int32(mjOBJ_SITE.rawValue)
        case .sensor: Int32(mjOBJ_SENSOR.rawValue)
        case .actuator: Int32(mjOBJ_ACTUATOR.rawValue)
        }
    }

    public var description: String {
        switch self {
        case .body: "body"
        case .joint: "joint"
        case .geom: "geom"
        case .site: "site"
        case .sensor: "sensor"
        case .actuator: "actuator"
        }
    }
}

/// A body of a model, by id. Get one by name with `Model.body(_:)`.
public struct Body: Hashable, Sendable { public let id: Int; public init(id: Int) { self.id = id } }
/// A joint of a model, by id.
public struct Joint: Hashable, Sendable { public let id: Int; public init(id: Int) { self.id = id } }
/// A geom of a model, by id.
public struct Geom: Hashable, Sendable { public let id: Int; public init(id: Int) { self.id = id } }
/// A site of a model, by id.
public struct Site: Hashable, Sendable { public let id: Int; public init(id: Int) { self.id = id } }
/// A sensor of a model, by id.
public struct Sensor: Hashable, Sendable { public let id: Int; public init(id: Int) { self.id = id } }
/// An actuator of a model, by id.
public struct Actuator: Hashable, Sendable { public let id: Int; public init(id: Int) { self.id = id } }
