// The test call: two RTCPeerConnections on this page, connected to each other (no server,
// no ICE servers), exactly the path a WebRTC client uses. The outgoing track changes with
// RTCRtpSender.replaceTrack, as a call client does when the effect changes.

export class LoopbackCall {
  #sender = null;
  #local = null;
  #remote = null;

  get active() {
    return this.#local !== null;
  }

  /** Connects and sends `track`; resolves with the remote side's MediaStream. */
  async start(track) {
    if (this.active) throw new Error('the test call is already running');
    const local = new RTCPeerConnection();
    const remote = new RTCPeerConnection();
    this.#local = local;
    this.#remote = remote;
    local.addEventListener('icecandidate', (e) => { if (e.candidate) remote.addIceCandidate(e.candidate).catch(() => undefined); });
    remote.addEventListener('icecandidate', (e) => { if (e.candidate) local.addIceCandidate(e.candidate).catch(() => undefined); });
    const received = new Promise((resolve) => {
      remote.addEventListener('track', (e) => resolve(e.streams[0] ?? new MediaStream([e.track])), { once: true });
    });
    this.#sender = local.addTrack(track, new MediaStream([track]));
    await local.setLocalDescription();
    await remote.setRemoteDescription(local.localDescription);
    await remote.setLocalDescription();
    await local.setRemoteDescription(remote.localDescription);
    return received;
  }

  /** Sends `track` instead of the current one, without renegotiating. */
  async replaceTrack(track) {
    if (this.#sender) await this.#sender.replaceTrack(track);
  }

  /** 'new', 'connecting', 'connected', ... of the sending side, or 'off'. */
  get connectionState() {
    return this.#local?.connectionState ?? 'off';
  }

  stop() {
    this.#local?.close();
    this.#remote?.close();
    this.#local = null;
    this.#remote = null;
    this.#sender = null;
  }
}
