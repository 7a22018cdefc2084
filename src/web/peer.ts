/**
 * One WebRTC call: the RTCPeerConnection, the local microphone (and camera
 * for video calls) and the signaling, which goes through the API
 * (sendCallSignal out, call_signal events in). Signals are sent one after the
 * other and applied one after the other, so the partner sees them in order.
 */
import { ApiError, request } from "./graphql.ts";
import { END_CALL, ICE_SERVERS, JOIN_CALL, SEND_SIGNAL, type IceServer, type Signal } from "./documents.ts";

/** Ends a call, unless it has ended already. */
export async function endCall(id: string): Promise<void> {
  try {
    await request(END_CALL, { id });
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "RENDD")) throw error;
  }
}

export class PeerCall {
  readonly pc: RTCPeerConnection;
  readonly remoteStream = new MediaStream();
  private sending: Promise<unknown> = Promise.resolve();
  private applying: Promise<unknown> = Promise.resolve();
  private localStream: MediaStream | null = null;
  private closed = false;

  private constructor(
    readonly interactionId: string,
    readonly makesOffer: boolean,
    readonly video: boolean,
    iceServers: IceServer[],
    private readonly onFailure: (error: Error) => void,
  ) {
    this.pc = new RTCPeerConnection({
      iceServers: iceServers.map((server) => ({ urls: server.urls, username: server.username ?? undefined, credential: server.credential ?? undefined })),
    });
    this.pc.addEventListener("icecandidate", (event) => {
      if (event.candidate) this.send("ice", { candidate: event.candidate.toJSON() });
    });
    this.pc.addEventListener("track", (event) => this.remoteStream.addTrack(event.track));
  }

  /** Fresh ICE servers (TURN credentials expire), the microphone (and camera), then the offer if this side makes it. */
  static async start(interactionId: string, makesOffer: boolean, video: boolean, onFailure: (error: Error) => void): Promise<PeerCall> {
    const [{ iceServers }, localStream] = await Promise.all([
      request<{ iceServers: IceServer[] }>(ICE_SERVERS),
      navigator.mediaDevices.getUserMedia({ audio: true, video }),
    ]);
    const call = new PeerCall(interactionId, makesOffer, video, iceServers, onFailure);
    call.localStream = localStream;
    for (const track of localStream.getTracks()) call.pc.addTrack(track, localStream);
    await request(JOIN_CALL, { id: interactionId });
    if (makesOffer) {
      await call.pc.setLocalDescription(await call.pc.createOffer());
      call.send("offer", { type: "offer", sdp: call.pc.localDescription!.sdp });
    }
    return call;
  }

  get local(): MediaStream | null {
    return this.localStream;
  }

  /** Applies the partner's signal, after every earlier one. */
  apply(signal: Signal): void {
    this.applying = this.applying.then(() => this.applyNow(signal)).catch((error: Error) => this.fail(error));
  }

  private async applyNow({ kind, payload }: Signal): Promise<void> {
    if (this.closed) return;
    if (kind === "offer") {
      await this.pc.setRemoteDescription({ type: "offer", sdp: String(payload.sdp) });
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      this.send("answer", { type: "answer", sdp: this.pc.localDescription!.sdp });
    } else if (kind === "answer") {
      await this.pc.setRemoteDescription({ type: "answer", sdp: String(payload.sdp) });
    } else if (kind === "ice") {
      await this.pc.addIceCandidate(payload.candidate as RTCIceCandidateInit);
    }
  }

  private send(kind: Signal["kind"], payload: object): void {
    this.sending = this.sending
      .then(() => (this.closed ? undefined : request(SEND_SIGNAL, { id: this.interactionId, kind, payload })))
      .catch((error: Error) => this.fail(error));
  }

  private fail(error: Error): void {
    if (!this.closed) this.onFailure(error);
  }

  setMuted(muted: boolean): void {
    for (const track of this.localStream?.getAudioTracks() ?? []) track.enabled = !muted;
  }

  setCameraOff(off: boolean): void {
    for (const track of this.localStream?.getVideoTracks() ?? []) track.enabled = !off;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    this.pc.close();
  }
}
