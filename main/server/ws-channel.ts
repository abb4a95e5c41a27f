// A `ws` WebSocket as a FrameChannel for serveConnection.
import { WebSocket, type RawData } from 'ws';
import type { FrameChannel } from '../../shared/wire';

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export function wsChannel(ws: WebSocket): FrameChannel {
  return {
    send: (frame) =>
      ws.send(frame, () => {
        // A send that fails means the socket is closing; 'close' follows and detaches the connection.
      }),
    onFrame: (listener) => {
      // JSON text is expected; a binary frame holding JSON text is accepted the same way.
      const onMessage = (data: RawData) => listener(rawText(data));
      ws.on('message', onMessage);
      return () => ws.off('message', onMessage);
    },
    onClose: (listener) => {
      ws.on('close', listener);
      return () => ws.off('close', listener);
    },
    isOpen: () => ws.readyState === WebSocket.OPEN,
    close: () => ws.close(1000),
  };
}
