import { requestLogSerializers } from './request-log.serializers';

describe('requestLogSerializers', () => {
  it('keeps method, url, client and user agent of a request, and none of its other headers', () => {
    const logged = requestLogSerializers.req({
      id: 'r-1',
      method: 'GET',
      url: '/v1/search?q=x',
      remoteAddress: '10.0.0.7',
      headers: { authorization: 'secret-key', cookie: 'session=1', 'user-agent': 'viewer/2', host: 'recto' },
    });
    expect(logged).toEqual({
      id: 'r-1',
      method: 'GET',
      url: '/v1/search?q=x',
      remoteAddress: '10.0.0.7',
      userAgent: 'viewer/2',
    });
    expect(JSON.stringify(logged)).not.toMatch(/secret-key|session=1/);
  });

  it('keeps the status and size of a response', () => {
    expect(
      requestLogSerializers.res({ statusCode: 404, headers: { 'content-length': '120', 'set-cookie': 'a=b' } }),
    ).toEqual({ statusCode: 404, contentLength: '120' });
  });
});
