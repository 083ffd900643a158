import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Palbase error envelope: `{ error, error_description, status, request_id, data? }`.
public struct ErrorEnvelope: Codable, Sendable, Equatable {
    public var error: String
    public var errorDescription: String
    public var status: Int
    public var requestId: String
    public var data: JSONValue?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case status
        case requestId = "request_id"
        case data
    }
}

/// One problem with the request input (Zod's issue shape).
public struct Issue: Codable, Sendable, Equatable {
    public var code: String
    public var path: [JSONValue]
    public var message: String
}

/// Any JSON value.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(n): try c.encode(n)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }
}

/// A file sent as the `file` part of a multipart body (`req.file` in the endpoint).
public struct UploadFile: Sendable {
    public var data: Data
    public var filename: String
    public var contentType: String

    public init(data: Data, filename: String, contentType: String = "application/octet-stream") {
        self.data = data
        self.filename = filename
        self.contentType = contentType
    }
}

/// The runtime's own errors, which every endpoint's error enum has as cases.
public enum RuntimeFailure: Sendable {
    case invalidRequest([Issue], ErrorEnvelope)
    case unauthorized(ErrorEnvelope)
    case forbidden(ErrorEnvelope)
    case notFound(ErrorEnvelope)
    case rateLimited(Int?, ErrorEnvelope)
    case server(Int, String, ErrorEnvelope?)
    case other(Int, String, ErrorEnvelope?)
    case transport(any Error)
}

/// An endpoint's error enum.
public protocol PalbaseError: Error, Sendable {
    static func declared(status: Int, code: String, envelope: ErrorEnvelope?, body: Data, decoder: JSONDecoder) -> Self?
    static func runtime(_ failure: RuntimeFailure) -> Self
}

struct DataOf<T: Decodable>: Decodable {
    let data: T
}

struct Empty: Encodable {}

/// A client of the API: one method per endpoint (Endpoints.swift).
public struct PalbaseClient: Sendable {
    public var baseURL: URL
    public var session: URLSession
    /// The bearer token to send, if any (asked before each request).
    public var token: @Sendable () async -> String?

    public init(baseURL: URL, session: URLSession = .shared, token: @escaping @Sendable () async -> String? = { nil }) {
        self.baseURL = baseURL
        self.session = session
        self.token = token
    }

    func pathSegment(_ s: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    func queryItems<Q: Encodable>(_ query: Q) throws -> [URLQueryItem] {
        let json = try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(query))
        return json.keys.sorted().compactMap { key in
            switch json[key] {
            case .none, .some(.null): return nil
            case let .some(.string(s)): return URLQueryItem(name: key, value: s)
            case let .some(.bool(b)): return URLQueryItem(name: key, value: b ? "true" : "false")
            case let .some(.number(n)): return URLQueryItem(name: key, value: n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n))
            case let .some(other): return URLQueryItem(name: key, value: String(decoding: (try? JSONEncoder().encode(other)) ?? Data(), as: UTF8.self))
            }
        }
    }

    func multipart<B: Encodable>(_ fields: B?, file: UploadFile?, boundary: String) throws -> Data {
        var out = Data()
        func add(_ s: String) { out.append(Data(s.utf8)) }
        if let fields {
            let json = try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(fields))
            for key in json.keys.sorted() {
                guard let value = json[key], value != .null else { continue }
                let text: String
                if case let .string(s) = value { text = s } else { text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
                add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(text)\r\n")
            }
        }
        if let file {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.contentType)\r\n\r\n")
            out.append(file.data)
            add("\r\n")
        }
        add("--\(boundary)--\r\n")
        return out
    }

    func send<Q: Encodable, B: Encodable, T: Decodable, E: PalbaseError>(method: String, path: String, query: Q?, body: B?, file: UploadFile?, as _: T.Type, errors _: E.Type) async throws(E) -> T {
        let data: Data
        let status: Int
        let headers: [AnyHashable: Any]
        do {
            var components = URLComponents(url: baseURL.appendingPathComponent(String(path.dropFirst())), resolvingAgainstBaseURL: false)
            if let query {
                let items = try queryItems(query)
                if !items.isEmpty { components?.queryItems = items }
            }
            guard let url = components?.url else { throw URLError(.badURL) }
            var request = URLRequest(url: url)
            request.httpMethod = method
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            if let token = await token() {
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            }
            if file != nil {
                let boundary = "palbase-\(UUID().uuidString)"
                request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
                request.httpBody = try multipart(body, file: file, boundary: boundary)
            } else if let body {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = try JSONEncoder().encode(body)
            }
            let (d, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
            (data, status, headers) = (d, http.statusCode, http.allHeaderFields)
        } catch {
            throw E.runtime(.transport(error))
        }
        let decoder = JSONDecoder()
        if (200..<300).contains(status) {
            if status == 204 || data.isEmpty, let none = JSONValue.null as? T { return none }
            do {
                return try decoder.decode(T.self, from: data)
            } catch {
                throw E.runtime(.transport(error))
            }
        }
        let envelope = try? decoder.decode(ErrorEnvelope.self, from: data)
        let code = envelope?.error ?? ""
        if let declared = E.declared(status: status, code: code, envelope: envelope, body: data, decoder: decoder) {
            throw declared
        }
        guard let envelope else {
            throw E.runtime(status >= 500 ? .server(status, code, nil) : .other(status, code, nil))
        }
        switch (status, code) {
        case (400, "invalid_request"):
            let issues = (try? decoder.decode(DataOf<IssuesOf>.self, from: data).data.issues) ?? []
            throw E.runtime(.invalidRequest(issues, envelope))
        case (401, _): throw E.runtime(.unauthorized(envelope))
        case (403, _): throw E.runtime(.forbidden(envelope))
        case (404, _): throw E.runtime(.notFound(envelope))
        case (429, _):
            let after = (headers["Retry-After"] as? String).flatMap { Int($0) }
            throw E.runtime(.rateLimited(after, envelope))
        default:
            throw E.runtime(status >= 500 ? .server(status, code, envelope) : .other(status, code, envelope))
        }
    }
}

struct IssuesOf: Decodable {
    let issues: [Issue]
}
