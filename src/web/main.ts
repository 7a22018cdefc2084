/** The web client's entry point: the shell and its screens. */
import "./style.css";
import { App } from "./app.ts";
import { authScreen } from "./screens/auth.ts";
import { callScreen } from "./screens/call.ts";
import { chatScreen } from "./screens/chat.ts";
import { connectionsScreen } from "./screens/connections.ts";
import { profileScreen } from "./screens/profile.ts";
import { startScreen } from "./screens/start.ts";
import { mailLinkScreen } from "./screens/mail-links.ts";
import { incomingVideoScreen } from "./screens/video.ts";

const app: App = new App(document.getElementById("app")!, {
  auth: () => authScreen(app),
  mailLink: mailLinkScreen,
  start: startScreen,
  connections: connectionsScreen,
  profile: profileScreen,
  call: callScreen,
  chat: chatScreen,
  incomingVideo: incomingVideoScreen,
});
void app.boot();
