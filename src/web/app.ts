/**
 * The app shell: who is logged in, the inbox subscription (userEvents) that
 * drives calls and notifications, the heartbeat, and which screen is shown.
 */
import { ApiError, closeSocket, onSessionEnded, request, setToken, subscribe, token, type Subscription } from "./graphql.ts";
import { CONNECTIONS, CURRENT_USER, HEARTBEAT, LOGOUT, USER_EVENTS, type Call, type Connection, type CurrentUser, type PublicProfile, type Signal, type UserEvent } from "./documents.ts";
import { fill, form, h, type Child } from "./dom.ts";
import { mailLinkOf, type MailLink } from "./mail-links.ts";
import { endCall, PeerCall } from "./peer.ts";

/** What a screen gives the shell: its element, what to do with live events, how to clean up. */
export interface Screen {
  element: HTMLElement;
  onEvent?(event: UserEvent): void;
  dispose?(): void;
}

export type ScreenName = "start" | "connections" | "profile";

export interface Navigator {
  auth(): Screen;
  /** The page a mail's link opens (verify the email, reset the password). */
  mailLink(app: App, link: MailLink): Screen;
  start(app: App): Screen;
  connections(app: App): Screen;
  profile(app: App): Screen;
  call(app: App, event: UserEvent): Screen;
  chat(app: App, connectionId: string): Screen;
  incomingVideo(app: App, event: UserEvent): Screen;
}

const HEARTBEAT_SECONDS = 30;
/** sessionStorage: the call this tab is in. */
const CALL_KEY = "rtc.call";

export class App {
  me: CurrentUser | null = null;
  private screen: Screen | null = null;
  private inbox: Subscription | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** Signals that arrived before their call was set up, by call id. */
  private pendingSignals = new Map<string, Signal[]>();
  private peer: PeerCall | null = null;
  private readonly main = h("main");
  private readonly nav = h("nav");
  private readonly notice = h("div", { class: "notice", role: "status", hidden: true });

  constructor(
    root: HTMLElement,
    readonly screens: Navigator,
  ) {
    fill(root, h("header", {}, h("h1", {}, "Real-time Connect"), this.nav), this.notice, this.main);
    onSessionEnded(() => void this.loggedOut("Your session has ended. Log in again."));
  }

  async boot(): Promise<void> {
    const link = mailLinkOf(location);
    if (link) {
      this.show(this.screens.mailLink(this, link));
      return;
    }
    if (token()) {
      try {
        await this.loggedIn();
        return;
      } catch (error) {
        setToken(null);
        this.tell(error);
      }
    }
    this.show(this.screens.auth());
  }

  /** After register or log-in: who am I, the inbox, the heartbeat, then Start (or the profile if it is incomplete). */
  async loggedIn(newToken?: string): Promise<void> {
    if (newToken) setToken(newToken);
    const { currentUser } = await request<{ currentUser: CurrentUser | null }>(CURRENT_USER);
    if (!currentUser) throw new ApiError("Log in again.", "RSESS");
    this.me = currentUser;
    // Start only once the inbox listens, so that no match is missed.
    await this.listen();
    await this.endAbandonedCall();
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat().catch((error) => this.tell(error)), HEARTBEAT_SECONDS * 1000);
    this.renderNav();
    this.go(currentUser.profile?.age ? "start" : "profile");
  }

  /** Opens the inbox (userEvents); resolves once it listens. */
  private listen(): Promise<void> {
    return new Promise<void>((live) => {
      this.inbox = subscribe<{ userEvents: UserEvent }>(
        USER_EVENTS,
        {},
        ({ userEvents }) => this.dispatch(userEvents),
        (error) => this.tell(error),
        () => {
          live();
          void this.refreshUnread();
        },
      );
    });
  }

  /**
   * A call this tab was in before it was reloaded cannot go on (its peer
   * connection is gone, and the partner would wait in silence): end it, so
   * both are free again.
   */
  private async endAbandonedCall(): Promise<void> {
    const id = sessionStorage.getItem(CALL_KEY);
    sessionStorage.removeItem(CALL_KEY);
    if (id) await endCall(id);
  }

  /**
   * Ends this session: by `logout`, or by another mutation that ends it too
   * (`logoutEverywhere`, `deleteAccount`). One that checks a password may be
   * refused: then the app stays logged in and shows why.
   */
  async logOut(mutation: string = LOGOUT, variables: Record<string, unknown> = {}, farewell?: string): Promise<void> {
    // The server closes the websockets of an ended session: close ours first.
    this.inbox?.stop();
    closeSocket();
    try {
      await request(mutation, variables);
    } catch (error) {
      if (error instanceof ApiError && (error.code === "RCRED" || error.code === "RLOCK")) await this.listen();
      else await this.loggedOut();
      throw error;
    }
    await this.loggedOut(farewell);
  }

  private async loggedOut(message?: string): Promise<void> {
    this.endPeer();
    this.inbox?.stop();
    this.inbox = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.me = null;
    setToken(null);
    fill(this.nav);
    this.show(this.screens.auth());
    if (message) this.tell(new Error(message));
  }

  beat(): Promise<unknown> {
    return request(HEARTBEAT);
  }

  get isFemale(): boolean {
    return this.me?.role === "female";
  }

  go(name: ScreenName): void {
    this.show(this.screens[name](this));
  }

  openChat(connectionId: string): void {
    this.show(this.screens.chat(this, connectionId));
  }

  show(screen: Screen): void {
    this.screen?.dispose?.();
    this.screen = screen;
    this.clearNotice();
    fill(this.main, screen.element);
    for (const button of this.nav.querySelectorAll("button")) button.classList.toggle("current", screen.element.dataset.screen === button.dataset.screen);
  }

  /** Shows an error (with its code) or a message above the screen. */
  tell(error: unknown): void {
    const message = error instanceof ApiError && error.code ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
    this.notice.textContent = message;
    this.notice.hidden = false;
  }

  clearNotice(): void {
    this.notice.hidden = true;
  }

  /** Runs an action of a button or form, showing its error instead of throwing. */
  async attempt(action: () => Promise<unknown>): Promise<void> {
    try {
      this.clearNotice();
      await action();
    } catch (error) {
      this.tell(error);
    }
  }

  /** A form whose submit runs `action` with its values, as `attempt` does. */
  form(action: (values: Record<string, string>) => Promise<unknown>, ...children: Child[]): HTMLFormElement {
    return form((values) => void this.attempt(() => action(values)), ...children);
  }

  /**
   * Starts the call's peer connection (microphone, and camera for video) and
   * attaches it; `status` says how the connection goes, now and at each change:
   * `connected` as given, else "Connection: <state>".
   */
  async startPeer(call: Call, video: boolean, connected: string, status: (text: string) => void): Promise<PeerCall> {
    const peer = await PeerCall.start(call.rowId, Boolean(call.makesOffer), video, (error) => this.tell(error));
    this.attachPeer(peer);
    const report = () => status(peer.pc.connectionState === "connected" ? connected : `Connection: ${peer.pc.connectionState}`);
    peer.pc.addEventListener("connectionstatechange", report);
    report();
    return peer;
  }

  /** The call now set up: gets every signal that arrived for it before. */
  attachPeer(peer: PeerCall): void {
    if (this.peer !== peer) this.peer?.close();
    this.peer = peer;
    sessionStorage.setItem(CALL_KEY, peer.interactionId);
    for (const signal of this.pendingSignals.get(peer.interactionId) ?? []) peer.apply(signal);
    this.pendingSignals.delete(peer.interactionId);
  }

  endPeer(): void {
    this.peer?.close();
    this.peer = null;
    sessionStorage.removeItem(CALL_KEY);
    this.pendingSignals.clear();
  }

  /** Connections and the public profiles of their partners. */
  async connections(): Promise<Array<{ connection: Connection; partner: PublicProfile | undefined }>> {
    const data = await request<{ connections: { nodes: Connection[] }; publicProfiles: { nodes: PublicProfile[] } }>(CONNECTIONS);
    const profiles = new Map(data.publicProfiles.nodes.map((profile) => [profile.userId, profile]));
    return data.connections.nodes
      .filter((connection) => connection.isActive)
      .map((connection) => ({ connection, partner: profiles.get(this.partnerOf(connection)) }));
  }

  partnerOf(pair: { user1Id: string; user2Id: string }): string {
    return pair.user1Id === this.me?.rowId ? pair.user2Id : pair.user1Id;
  }

  private dispatch(event: UserEvent): void {
    this.screen?.onEvent?.(event);
    switch (event.event) {
      case "matched":
        if (event.interaction) this.show(this.screens.call(this, event));
        return;
      case "video_call":
        // The caller hears of its own call too; it is already on the call's screen.
        if (event.interaction && !event.interaction.makesOffer) this.show(this.screens.incomingVideo(this, event));
        return;
      case "call_signal": {
        const signal = event.signal;
        if (!signal) return;
        if (this.peer?.interactionId === signal.interactionId) this.peer.apply(signal);
        else this.pendingSignals.set(signal.interactionId, [...(this.pendingSignals.get(signal.interactionId) ?? []), signal]);
        return;
      }
    }
    if (event.event === "message" || event.event === "connected" || event.event === "unmatched") void this.refreshUnread();
  }

  private renderNav(): void {
    const item = (name: ScreenName, label: string, ...extra: Node[]) =>
      h("button", { type: "button", "data-screen": name, onclick: () => this.go(name) }, label, ...extra);
    fill(
      this.nav,
      item("start", "Start"),
      item("connections", "Connections", h("span", { class: "badge", id: "unread-total", hidden: true })),
      item("profile", "Profile"),
      h("span", { class: "who" }, this.me?.username ?? ""),
      h("button", { type: "button", class: "quiet", onclick: () => void this.attempt(() => this.logOut()) }, "Log out"),
    );
    void this.refreshUnread();
  }

  /** The unread total on the Connections button. */
  async refreshUnread(): Promise<void> {
    const badge = this.nav.querySelector<HTMLElement>("#unread-total");
    if (!badge || !this.me) return;
    try {
      const total = (await this.connections()).reduce((sum, { connection }) => sum + (connection.chatRoom?.unreadCount ?? 0), 0);
      badge.textContent = String(total);
      badge.hidden = total === 0;
    } catch {
      // the badge is a hint; the list itself shows errors
    }
  }
}
