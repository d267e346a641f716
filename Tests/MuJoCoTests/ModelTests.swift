import Foundation
import MuJoCo
import XCTest

final class ModelTests: XCTestCase {
    static let modelsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("models")

    func testVersionIs222() {
        XCTAssertEqual(MuJoCoRuntime.version, "2.2.2")
    }

    func testLoadsFileAndNamesResolve() throws {
        let model = try Model(contentsOf: Self.modelsFolder.appendingPathComponent("cartpole.xml").path)
        XCTAssertEqual(model.nq, 2); XCTAssertEqual(model.nv, 2); XCTAssertEqual(model.nu, 1)
        XCTAssertEqual(model.integrator, .rungeKutta4)
        XCTAssertEqual(model.timestep, 0.01)
        let slider = try model.joint("slider")
        XCTAssertEqual(model.type(of: slider), .slide)
        XCTAssertEqual(model.name(of: .joint, id: slider.id), "slider")
        XCTAssertThrowsError(try model.body("no_such_body")) { error in
            XCTAssert("\(error)".contains("no body named 'no_such_body'"), "\(error)")
        }
    }

    func testMissingFileIsAnErrorWithMuJoCosMessage() {
        XCTAssertThrowsError(try Model(contentsOf: "/nonexistent/model.xml")) { error in
            XCTAssert("\(error)".contains("/nonexistent/model.xml"), "\(error)")
        }
    }

    func testMalformedXMLIsAnErrorNotACrash() {
        let path = Self.modelsFolder.appendingPathComponent("broken.xml").path
        XCTAssertThrowsError(try Model(xml: "<mujoco><worldbody><body></mujoco>", path: path)) { error in
            XCTAssert("\(error)".contains("cannot compile"), "\(error)")
        }
        XCTAssertThrowsError(try Model(xml: "<mujoco><worldbody><geom type='sphere' size='-1'/></worldbody></mujoco>", path: path))
    }

    func testInMemoryXMLResolvesIncludesNextToItsPath() throws {
        let xml = """
        <mujoco>
          <include file="./common/materials.xml"/>
          <worldbody><geom name="ball" type="sphere" size=".1" material="self"/></worldbody>
        </mujoco>
        """
        let model = try Model(xml: xml, path: Self.modelsFolder.appendingPathComponent("generated.xml").path)
        XCTAssertEqual(model.size(of: try model.geom("ball")).x, 0.1)
    }

    func testStateRoundTripAndNamedAccess() throws {
        let model = try Model(contentsOf: Self.modelsFolder.appendingPathComponent("walker.xml").path)
        let data = try SimulationData(model: model)
        XCTAssertEqual(data.stateSize, 18)
        var state = data.state
        state[1] = 0.3
        try data.setState(state)
        data.forward()
        XCTAssertEqual(data.state, state)
        XCTAssertEqual(try data.xpos(body: "torso").z, data.xpos(try model.body("torso")).z)
        XCTAssertThrowsError(try data.setState([1, 2]))
    }

    func testWarningsAreReportedWithoutALogFileOrStdinWait() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(folder.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }

        let model = try Model(contentsOf: Self.modelsFolder.appendingPathComponent("cartpole.xml").path)
        let data = try SimulationData(model: model)
        data.qvel[0] = .nan
        data.step()
        XCTAssertTrue(data.hasWarnings)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("MUJOCO_LOG.TXT").path))
        data.reset()
        XCTAssertFalse(data.hasWarnings)
    }
}
